package main

import (
	"bufio"
	"flag"
	"fmt"
	"image"
	"io"
	"os"

	"github.com/globalgateway/ggcapture/internal/imagein"
	"github.com/globalgateway/ggcapture/internal/y4m"
)

// cmdFakecam turns images into a 1280x720 BT.601 limited-range Y4M video for
// Chromium's --use-file-for-fake-video-capture: each image, letterboxed, is
// held for --seconds; several images make consecutive segments.
func cmdFakecam(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ggcapture fakecam", flag.ContinueOnError)
	out := fs.String("o", "", "output .y4m file (required)")
	seconds := fs.Float64("seconds", 2, "seconds each image is shown")
	fps := fs.Int("fps", 30, "frames per second")
	width := fs.Int("width", 1280, "frame width")
	height := fs.Int("height", 720, "frame height")
	// Accept flags after the image names too: ggcapture fakecam a.png -o out.y4m.
	var files []string
	rest := args
	for {
		if rc := parseFlags(fs, rest, stderr); rc >= 0 {
			return rc
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if *out == "" || len(files) == 0 {
		fmt.Fprintln(stderr, "usage: ggcapture fakecam [--seconds N] [--fps 30] IMAGE... -o out.y4m")
		return 2
	}
	if *fps < 1 || *fps > 120 || *seconds <= 0 || *seconds > 600 || *width < 16 || *height < 16 || *width%2 != 0 || *height%2 != 0 {
		fmt.Fprintln(stderr, "ggcapture fakecam: need 1 <= --fps <= 120, 0 < --seconds <= 600, even --width/--height >= 16")
		return 2
	}
	frames := make([]image.Image, len(files))
	seen := map[string]int{} // a file named again is read once
	for i, f := range files {
		if j, ok := seen[f]; ok {
			frames[i] = frames[j]
			continue
		}
		seen[f] = i
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(stderr, "ggcapture fakecam:", err)
			return 1
		}
		img, err := imagein.Decode(data, imagein.Limits{MaxBytes: 100 << 20, MinWidth: 16, MinHeight: 16})
		if err != nil {
			fmt.Fprintf(stderr, "ggcapture fakecam: %s: %v\n", f, err)
			return 1
		}
		frames[i] = y4m.FromImage(img, *width, *height)
	}
	per := int(*seconds*float64(*fps) + 0.5)
	if per < 1 {
		per = 1
	}
	fh, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(stderr, "ggcapture fakecam:", err)
		return 1
	}
	bw := bufio.NewWriterSize(fh, 1<<20)
	w, err := y4m.NewWriter(bw, *width, *height, *fps)
	if err == nil {
		for _, f := range frames {
			for k := 0; k < per && err == nil; k++ {
				err = w.WriteFrame(f)
			}
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		fmt.Fprintln(stderr, "ggcapture fakecam:", err)
		return 1
	}
	fmt.Fprintf(stdout, "ggcapture: wrote %s: %d frames %dx%d at %d fps (%d image(s) x %d frames)\n",
		*out, per*len(frames), *width, *height, *fps, len(frames), per)
	return 0
}
