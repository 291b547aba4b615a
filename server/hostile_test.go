package server

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// pngHeader builds a PNG signature + IHDR claiming w x h, followed by a short
// IDAT of zeros (a decompression bomb's header).
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	return b.Bytes()
}

// jpegHugeHeader patches a real JPEG's SOF0 to claim w x h.
func jpegHugeHeader(t testing.TB, w, h uint16) []byte {
	b := jpegBytes(t, testImage(64, 64))
	for i := 2; i+9 < len(b); i++ {
		if b[i] == 0xFF && b[i+1] == 0xC0 {
			binary.BigEndian.PutUint16(b[i+5:], h)
			binary.BigEndian.PutUint16(b[i+7:], w)
			return b
		}
	}
	t.Fatal("no SOF0")
	return nil
}

type hostileCase struct {
	name string
	path string
	body func() io.Reader
	// chunked sends the body without Content-Length.
	chunked bool
}

func hostileCases(t testing.TB) []hostileCase {
	img := func(s string) func() io.Reader {
		return func() io.Reader { return strings.NewReader(`{"image":` + strconv.Quote(s) + `}`) }
	}
	raw := func(s string) func() io.Reader { return func() io.Reader { return strings.NewReader(s) } }
	good := jpegBytes(t, testImage(320, 200))
	huge := bytes.Repeat([]byte("A"), 20<<20)
	b64 := base64.StdEncoding.EncodeToString
	cs := []hostileCase{
		{name: "truncated JPEG", body: img(dataURL("image/jpeg", good[:len(good)/2]))},
		{name: "JPEG header only", body: img(dataURL("image/jpeg", good[:200]))},
		{name: "PNG 50000x50000", body: img(dataURL("image/png", pngHeader(50000, 50000)))},
		{name: "PNG 7000x7000 (49 MP)", body: img(dataURL("image/png", pngHeader(7000, 7000)))},
		{name: "PNG 0x0", body: img(dataURL("image/png", pngHeader(0, 0)))},
		{name: "JPEG 65535x65535", body: img(dataURL("image/jpeg", jpegHugeHeader(t, 65535, 65535)))},
		{name: "GIF", body: img(dataURL("image/gif", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")))},
		{name: "SVG", body: img(dataURL("image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="5000" height="5000"><script>alert(1)</script></svg>`)))},
		{name: "SVG as jpeg", body: img(dataURL("image/jpeg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)))},
		{name: "HTML", body: img(dataURL("text/html", []byte(`<html><body onload=alert(1)></body></html>`)))},
		{name: "HTML bare base64", body: img(b64([]byte(`<!doctype html><p>hi`)))},
		{name: "invalid base64", body: img("data:image/jpeg;base64,@@@@not base64!!!")},
		{name: "base64 with spaces", body: img("data:image/jpeg;base64,/9j/ 4AAQ SkZJ")},
		{name: "data URL no comma", body: img("data:image/jpeg;base64")},
		{name: "data URL not base64", body: img("data:image/jpeg,rawbytes")},
		{name: "WebP garbage", body: img(dataURL("image/webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00\x00\x00\x00\x00")))},
		{name: "empty body", body: raw("")},
		{name: "whitespace body", body: raw("  \n ")},
		{name: "20 MB body", body: func() io.Reader { return bytes.NewReader(huge) }},
		{name: "20 MB body chunked", body: func() io.Reader { return bytes.NewReader(huge) }, chunked: true},
		{name: "20 MB image chunked", body: func() io.Reader {
			return io.MultiReader(strings.NewReader(`{"image":"data:image/jpeg;base64,`), bytes.NewReader(huge), strings.NewReader(`"}`))
		}, chunked: true},
		{name: "JSON array", body: raw(`[1,2,3]`)},
		{name: "JSON image number", body: raw(`{"image":12345}`)},
		{name: "JSON image object", body: raw(`{"image":{"a":1}}`)},
		{name: "JSON image null", body: raw(`{"image":null}`)},
		{name: "JSON frames string", path: "/v1/liveness-check", body: raw(`{"image":"x","frames":"abc"}`)},
		{name: "JSON frames numbers", path: "/v1/liveness-check", body: raw(`{"image":"x","frames":[1,2]}`)},
		{name: "JSON isFrontImage string", body: raw(`{"image":"x","isFrontImage":"yes"}`)},
		{name: "JSON captureType number", body: raw(`{"image":"x","captureType":7}`)},
		{name: "JSON truncated", body: raw(`{"image":"data:image/jpeg;base64,/9j/`)},
		{name: "JSON trailing garbage", body: raw(`{"image":"x"} {"image":"y"}`)},
		{name: "JSON deep nesting", body: raw(strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000))},
		{name: "not JSON", body: raw("image=abc")},
		{name: "too many frames", path: "/v1/liveness-check", body: raw(`{"image":"x","frames":["a","b","c","d","e","f","g","h","i"]}`)},
		{name: "bad frame", path: "/v1/liveness-check", body: func() io.Reader {
			return strings.NewReader(`{"image":"` + dataURL("image/jpeg", good) + `","frames":["data:image/png;base64,AAAA"]}`)
		}},
		{name: "tiny PNG", body: img(dataURL("image/png", pngBytes(t, testImage(8, 8))))},
	}
	return cs
}

// TestHostileInputs: every hostile request is answered 4xx with an ErrorCode,
// never 5xx, with no panic; and the process stays small (peak RSS checked in a
// child process by TestHostileInputsRSS).
func TestHostileInputs(t *testing.T) {
	_, ts := newTestServer(t, Config{NoRateLimit: true, Classify: fastClassify, Liveness: fastLiveness})
	tok := mint(t, TokenClaims{})
	cases := hostileCases(t)
	client := &http.Client{}
	send := func(c hostileCase) (int, []byte) {
		path := c.path
		if path == "" {
			path = "/v1/classification"
		}
		body := c.body()
		if c.chunked {
			body = io.MultiReader(body) // hides the length: chunked transfer
		}
		req, _ := http.NewRequest("POST", ts.URL+path, body)
		req.Header.Set("token", tok)
		req.Header.Set("Origin", testOrigin)
		resp, err := client.Do(req)
		if err != nil {
			// The server may close the connection after a 413 while the client
			// is still sending; that is a refusal too, but must not happen for
			// small bodies.
			return -1, []byte(err.Error())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	total, ok := 0, 0
	for r := 0; r < rounds; r++ {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, c := range cases {
			// Each case 4 times at once.
			for k := 0; k < 4; k++ {
				wg.Add(1)
				go func(c hostileCase) {
					defer wg.Done()
					st, b := send(c)
					mu.Lock()
					defer mu.Unlock()
					total++
					var code int
					if i := bytes.Index(b, []byte(`"ErrorCode":`)); i >= 0 {
						fmt.Sscanf(string(b[i+len(`"ErrorCode":`):]), "%d", &code)
					}
					if st < 400 || st >= 500 || code < 1000 {
						t.Errorf("%s: %d %.200s", c.name, st, b)
						return
					}
					ok++
				}(c)
			}
		}
		wg.Wait()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d/%d hostile requests answered 4xx with an ErrorCode; heap in use after GC %.1f MB, heap sys %.1f MB, peak RSS %s",
		ok, total, float64(ms.HeapInuse)/1e6, float64(ms.HeapSys)/1e6, vmHWM())
	if os.Getenv("GGCAPTURE_HOSTILE_CHILD") == "1" {
		fmt.Printf("VMHWM_KB=%s\n", strings.TrimSuffix(strings.Fields(vmHWM() + " 0")[0], "kB"))
	}
	if ms.HeapSys > 200<<20 && !raceEnabled {
		t.Errorf("heap reserved %d MB > 200 MB", ms.HeapSys>>20)
	}
}

// vmHWM is the process's peak resident set size from /proc (Linux), e.g. "81234kB".
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.ReplaceAll(strings.TrimSpace(v), " ", "")
		}
	}
	return "n/a"
}

// TestHostileInputsRSS re-runs TestHostileInputs alone in a child process and
// checks that process's peak RSS (VmHWM) stays under 200 MB.
func TestHostileInputsRSS(t *testing.T) {
	if os.Getenv("GGCAPTURE_HOSTILE_CHILD") == "1" {
		t.Skip("child")
	}
	if raceEnabled {
		t.Skip("the race detector multiplies memory use; peak RSS is checked in normal builds")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: cannot read peak RSS on this system")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestHostileInputs$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GGCAPTURE_HOSTILE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	i := bytes.Index(out, []byte("VMHWM_KB="))
	if i < 0 {
		t.Fatalf("no VMHWM in child output:\n%s", out)
	}
	var kb int
	fmt.Sscanf(string(out[i+len("VMHWM_KB="):]), "%d", &kb)
	t.Logf("peak RSS of the hostile-input run: %.1f MB", float64(kb)/1024)
	if kb <= 0 || kb > 200*1024 {
		t.Fatalf("peak RSS %d kB (limit 200 MB)", kb)
	}
}
