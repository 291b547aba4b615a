// Command ggcapture is the GlobalGateway capture service and its tools:
//
//	ggcapture serve    [--addr :8443] [--dev] [--cert F --key F] ...   the service and sample pages
//	ggcapture token    --domain https://... [--ttl 15m] [--max-uses N]  mint an SDK token offline
//	ggcapture analyze  --kind front|back|passport|selfie FILE...         analyse still images (JSON lines)
//	ggcapture fakecam  [--seconds N] [--fps 30] IMAGE... -o out.y4m      fake-camera video for Chromium
//	ggcapture loadtest [--clients 200] [--duration 30s] [--url URL]      bounded load test
//
// Every flag can also be set in the environment as GGCAPTURE_<FLAG> (upper case,
// '-' → '_'), e.g. GGCAPTURE_SIGNING_KEY, GGCAPTURE_API_KEYS, GGCAPTURE_REDIS.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: ggcapture <command> [flags]

commands:
  serve      run the capture service (SDK files, sample pages, tokens, classification, liveness)
  token      mint an SDK token offline with the configured signing key
  analyze    analyse still images like the SDK and the service (one JSON object per line)
  fakecam    turn images into a Y4M video for Chromium's fake camera
  loadtest   load-test /v1/classification (bounded in time)
  templates  manage the classification template library

Run "ggcapture <command> -h" for the flags of a command. Every flag may also be
given in the environment as GGCAPTURE_<FLAG>, e.g. GGCAPTURE_SIGNING_KEY.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "token":
		return cmdToken(rest, stdout, stderr)
	case "analyze":
		return cmdAnalyze(rest, stdout, stderr)
	case "fakecam":
		return cmdFakecam(rest, stdout, stderr)
	case "loadtest":
		return cmdLoadtest(ctx, rest, stdout, stderr)
	case "templates":
		return cmdTemplates(rest, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "ggcapture: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// parseFlags parses args, then fills every flag not given on the command line from
// GGCAPTURE_<NAME> in the environment. It returns the exit code to use on failure
// (or -1 to go on).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) int {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || bad != nil {
			return
		}
		env := "GGCAPTURE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := fs.Set(f.Name, v); err != nil {
				bad = fmt.Errorf("%s: %v", env, err)
			}
		}
	})
	if bad != nil {
		fmt.Fprintln(stderr, "ggcapture:", bad)
		return 2
	}
	return -1
}

// listFlag is a repeatable, comma-separated string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
