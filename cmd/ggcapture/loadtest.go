package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/globalgateway/ggcapture/internal/imagein"
	"github.com/globalgateway/ggcapture/internal/synth"
	"github.com/globalgateway/ggcapture/quality"
	"github.com/globalgateway/ggcapture/server"
)

// cmdLoadtest runs a bounded load test against /v1/classification (or
// --path): either against --url with --token/--origin, or (default) against
// an in-process service on a loopback port with rate limits off.
func cmdLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ggcapture loadtest", flag.ContinueOnError)
	url := fs.String("url", "", "service base URL (default: start one in-process on 127.0.0.1)")
	token := fs.String("token", "", "SDK token (with --url)")
	origin := fs.String("origin", "https://loadtest.example", "Origin header sent (the token must allow it)")
	path := fs.String("path", "/v1/classification", "endpoint")
	clients := fs.Int("clients", 200, "concurrent clients")
	duration := fs.Duration("duration", 30*time.Second, "how long to send (bounded; max 10m)")
	imgFile := fs.String("image", "", "document image to send (default: a synthetic ID-1 card, cropped like the SDK sends it)")
	insecure := fs.Bool("insecure", false, "accept any TLS certificate (dev certificates)")
	cascades := fs.String("cascades", "", "cascade dir for the in-process service's liveness (default: public/GlobalGatewayCapturePublic/cascade)")
	if rc := parseFlags(fs, args, stderr); rc >= 0 {
		return rc
	}
	if *duration <= 0 || *duration > 10*time.Minute || *clients <= 0 || *clients > 5000 {
		fmt.Fprintln(stderr, "ggcapture loadtest: --duration must be in (0, 10m] and --clients in [1, 5000]")
		return 2
	}
	var raw []byte
	var err error
	if *imgFile != "" {
		raw, err = os.ReadFile(*imgFile)
		if err == nil {
			_, err = imagein.Inspect(raw, imagein.Limits{})
		}
	} else {
		raw, err = syntheticCardJPEG()
	}
	if err != nil {
		fmt.Fprintln(stderr, "ggcapture loadtest:", err)
		return 1
	}
	mime := imagein.Sniff(raw).MIME()
	body, _ := json.Marshal(map[string]any{"image": "data:" + mime + ";base64," + b64(raw), "captureType": "DOCUMENT_FRONT"})
	base := *url
	if base == "" {
		log := slog.New(slog.NewJSONHandler(io.Discard, nil))
		srv, err := server.New(server.Config{Dev: true, NoRateLimit: true, Logger: log, CascadesDir: *cascades})
		if err != nil {
			fmt.Fprintln(stderr, "ggcapture loadtest:", err)
			return 1
		}
		defer srv.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(stderr, "ggcapture loadtest:", err)
			return 1
		}
		sctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- srv.Serve(sctx, ln, nil, 30*time.Second) }()
		defer func() { stop(); <-done }()
		base = "http://" + ln.Addr().String()
		*token, err = server.MintToken(srv.SigningKey(), server.TokenClaims{Domains: []string{*origin}, Expires: time.Now().Add(*duration + time.Hour)})
		if err != nil {
			fmt.Fprintln(stderr, "ggcapture loadtest:", err)
			return 1
		}
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *clients, MaxIdleConns: *clients}
	if *insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	fmt.Fprintf(stdout, "loadtest: %d clients for %s against %s%s, body %d bytes (image %d bytes)\n",
		*clients, *duration, base, *path, len(body), len(raw))
	res := server.RunLoad(ctx, server.LoadConfig{BaseURL: base, Path: *path, Token: *token, Origin: *origin, Body: body,
		Clients: *clients, Duration: *duration, Client: &http.Client{Transport: tr}})
	fmt.Fprintln(stdout, "loadtest:", res)
	if res.OK != res.Requests {
		return 1
	}
	return 0
}

// syntheticCardJPEG renders a synthetic ID-1 front and crops it to the card,
// as the SDK would send it.
func syntheticCardJPEG() ([]byte, error) {
	s, err := synth.Render(synth.Doc{Format: synth.ID1, Side: "Front", Seed: 7, Background: synth.Wood, TiltY: 8})
	if err != nil {
		return nil, err
	}
	var q quality.Quad
	for i, c := range s.Corners {
		q[i] = quality.Point{X: c[0], Y: c[1]}
	}
	var img image.Image = s.Image
	if crop, err := quality.CropDeskew(s.Image, q, quality.FormatID1, 2000); err == nil {
		img = crop
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
