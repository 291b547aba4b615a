package server

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// staticDir serves the files under one directory (through os.Root, so nothing
// outside it can be reached), with no directory listings and no dot files. A
// directory answers its index.html. For foo.wasm (or any file) with foo.wasm.br /
// foo.wasm.gz beside it, a client accepting br/gzip gets the precompressed file
// with Content-Encoding and Vary: Accept-Encoding.
type staticDir struct {
	dir    string
	prefix string // URL prefix including trailing slash, e.g. "/examples/"
}

var precompressed = []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

func (s *staticDir) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rel := strings.TrimPrefix(r.URL.Path, s.prefix)
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, ".") {
			http.NotFound(w, r)
			return
		}
	}
	if rel == "" {
		rel = "."
	}
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer root.Close()
	st, err := root.Stat(rel)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		rel = path.Join(rel, "index.html")
		st, err = root.Stat(rel)
		if err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
	}
	if !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	ctype := contentType(rel)
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	name := rel
	if compressible(rel) {
		h.Add("Vary", "Accept-Encoding")
		ae := r.Header.Get("Accept-Encoding")
		for _, pc := range precompressed {
			if !acceptsEncoding(ae, pc.token) {
				continue
			}
			if cst, err := root.Stat(rel + pc.ext); err == nil && cst.Mode().IsRegular() {
				name, st = rel+pc.ext, cst
				h.Set("Content-Encoding", pc.token)
				break
			}
		}
	}
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, "", st.ModTime(), f)
}

func compressible(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".wasm", ".js", ".css", ".html", ".json", ".svg":
		return true
	}
	return false
}

func contentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".wasm":
		return "application/wasm"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".y4m":
		return "video/x-yuv4mpeg"
	case "":
		return "application/octet-stream"
	}
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// acceptsEncoding reports whether an Accept-Encoding header allows enc (q > 0).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		tok, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(tok), enc) {
			continue
		}
		params = strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if strings.HasPrefix(params, "q=0") && strings.Trim(strings.TrimPrefix(params, "q="), "0.") == "" {
			return false
		}
		return true
	}
	return false
}
