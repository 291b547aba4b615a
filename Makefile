# GlobalGateway Image Capture SDK — build, run and test.
#   make run    build the SDK (capture.wasm + helpers) and start the dev service with the sample page
#   make test   vet, unit tests (native and wasm under Node), browser end-to-end tests

GO        ?= go
ADDR      ?= :8443
PUB       := public/GlobalGatewayCapturePublic
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
# Pure packages: their tests also run compiled to WebAssembly under Node.
PURE      := ./capture/... ./quality/... ./liveness/... ./classify/... ./internal/...
GOFILES   := $(shell find . -name '*.go' -not -path './e2e/*' 2>/dev/null) go.mod go.sum

.PHONY: all build sdk run test deps vet unit wasmtest e2e bench bench-browser clean

all: build

build: sdk bin/ggcapture

bin/ggcapture: $(GOFILES)
	$(GO) build -trimpath -o $@ ./cmd/ggcapture

# The browser-side files: capture.wasm (+ .br/.gz), wasm_exec.js and pigo's face cascades.
sdk: $(PUB)/capture.wasm $(PUB)/wasm_exec.js $(PUB)/cascade/facefinder

$(PUB)/capture.wasm: $(GOFILES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm
	$(GO) run ./internal/cmd/precompress $@

$(PUB)/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

$(PUB)/cascade/facefinder: go.mod
	@mkdir -p $(PUB)/cascade
	d=$$($(GO) list -m -f '{{.Dir}}' github.com/esimov/pigo) && \
	  cp $$d/cascade/facefinder $$d/cascade/puploc $(PUB)/cascade/ && \
	  cp $$d/LICENSE $(PUB)/cascade/LICENSE-pigo && chmod u+w $(PUB)/cascade/*

run: build
	./bin/ggcapture serve --dev --addr $(ADDR)

deps:
	@scripts/ensure-deps.sh

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

unit:
	$(GO) test -count=1 $$($(GO) list ./... | grep -v '/e2e$$')

wasmtest:
	GOOS=js GOARCH=wasm $(GO) test -short -count=1 -exec="$(WASM_EXEC)" $(PURE)
	# and the document accuracy check in full (200 captures with colour, every DPI within ±3 %)
	GOOS=js GOARCH=wasm $(GO) test -count=1 -run 'SynthAccuracyColor$$' -exec="$(WASM_EXEC)" ./quality

e2e: build
	GGCAPTURE_E2E_REQUIRED=1 $(GO) test -count=1 -timeout 15m ./e2e

test: deps vet unit wasmtest e2e

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./capture/... ./quality/... ./liveness/... ./classify/...

# Browser benchmark: per-frame grab/analysis for each frame source, Start* -> showImage, wasm size.
bench-browser: build
	GGCAPTURE_E2E_REQUIRED=1 GGCAPTURE_BENCH=1 $(GO) test -count=1 -run 'TestBrowserBenchmark' -v -timeout 10m ./e2e

clean:
	rm -rf bin $(PUB)/capture.wasm* $(PUB)/wasm_exec.js $(PUB)/cascade
