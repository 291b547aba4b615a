//go:build js && wasm

package main

import (
	"syscall/js"
	"unsafe"
)

// The core is exposed as globalThis.__ggcore; the shim calls into it and
// reads decisions from a Float64Array over Core.Out. Frames are written by
// the shim straight into the core's reused buffers (no copy through JS
// values): Buffer returns the address inside the WebAssembly memory.
func main() {
	c := NewCore()
	keys := GuidanceKeys()
	jsKeys := make([]any, len(keys))
	for i, k := range keys {
		jsKeys[i] = k
	}
	var funcs []js.Func
	fn := func(f func(args []js.Value) any) js.Func {
		jf := js.FuncOf(func(_ js.Value, args []js.Value) any { return f(args) })
		funcs = append(funcs, jf)
		return jf
	}
	arg := func(args []js.Value, i int) js.Value {
		if i < len(args) {
			return args[i]
		}
		return js.Undefined()
	}
	num := func(args []js.Value, i int) int {
		v := arg(args, i)
		if v.Type() != js.TypeNumber {
			return 0
		}
		return v.Int()
	}
	str := func(args []js.Value, i int) string {
		v := arg(args, i)
		if v.Type() != js.TypeString {
			return ""
		}
		return v.String()
	}
	numField := func(v js.Value, key string) float64 {
		if v.Type() != js.TypeObject {
			return 0
		}
		f := v.Get(key)
		if f.Type() != js.TypeNumber {
			return 0
		}
		return f.Float()
	}
	strField := func(v js.Value, key string) string {
		if v.Type() != js.TypeObject {
			return ""
		}
		f := v.Get(key)
		if f.Type() != js.TypeString {
			return ""
		}
		return f.String()
	}
	meta := func(v js.Value) Meta {
		m := Meta{Mode: strField(v, "mode"), CaptureType: strField(v, "captureType"),
			DeviceType: strField(v, "deviceType"), Time: strField(v, "time")}
		if v.Type() == js.TypeObject {
			if g := v.Get("geo"); g.Type() == js.TypeObject {
				m.Geo = &Geo{Latitude: numField(g, "latitude"), Longitude: numField(g, "longitude"), Accuracy: numField(g, "accuracy")}
			}
		}
		return m
	}
	result := func(r *Result, e *Error) any {
		if e != nil {
			return map[string]any{"error": map[string]any{"code": e.Code, "message": e.Message}}
		}
		o := map[string]any{"image": r.Image}
		if r.Quality != nil {
			o["quality"] = map[string]any{"glare": r.Quality.Glare, "dpi": r.Quality.DPI, "sharpness": r.Quality.Sharpness}
		}
		return o
	}
	core := map[string]any{
		"version":      Version,
		"guidanceKeys": jsKeys,
		"buffer": fn(func(args []js.Value) any {
			b := c.Buffer(num(args, 0), num(args, 1))
			if len(b) == 0 {
				return 0
			}
			return int(uintptr(unsafe.Pointer(&b[0])))
		}),
		"out": fn(func(args []js.Value) any { return int(uintptr(unsafe.Pointer(&c.Out[0]))) }),
		"begin": fn(func(args []js.Value) any {
			o := arg(args, 1)
			var th js.Value
			if o.Type() == js.TypeObject {
				th = o.Get("thresholds")
			}
			sc := SessionConfig{TimeoutMs: numField(o, "timeoutMs"),
				MinGlare: numField(th, "glare"), MinSharpness: numField(th, "sharpness"), MinDPI: numField(th, "dpi")}
			if err := c.Begin(str(args, 0), sc); err != nil {
				return err.Error()
			}
			return nil
		}),
		"frame": fn(func(args []js.Value) any {
			f := FrameDesc{
				Format: str(args, 0), Width: num(args, 1), Height: num(args, 2),
				Offset: num(args, 3), Stride: num(args, 4), FullW: num(args, 5), FullH: num(args, 6),
			}
			t := 0.0
			if v := arg(args, 7); v.Type() == js.TypeNumber {
				t = v.Float()
			}
			if arg(args, 10).Type() == js.TypeNumber {
				f.UOffset, f.VOffset, f.CStride = num(args, 8), num(args, 9), num(args, 10)
			}
			c.Frame(f, t)
			return nil
		}),
		"snap": fn(func(args []js.Value) any {
			return result(c.Snap(num(args, 0), num(args, 1), num(args, 2), num(args, 3), meta(arg(args, 4))))
		}),
		"file": fn(func(args []js.Value) any {
			src := arg(args, 0)
			if src.Type() != js.TypeObject || src.Get("byteLength").Type() != js.TypeNumber {
				return result(nil, &Error{1002, "no image bytes"})
			}
			data := make([]byte, src.Get("byteLength").Int())
			js.CopyBytesToGo(data, src)
			return result(c.File(data, str(args, 1), meta(arg(args, 2)), num(args, 3)))
		}),
		"loadCascades": fn(func(args []js.Value) any {
			bytesOf := func(v js.Value) []byte {
				if v.Type() != js.TypeObject || v.Get("byteLength").Type() != js.TypeNumber {
					return nil
				}
				b := make([]byte, v.Get("byteLength").Int())
				js.CopyBytesToGo(b, v)
				return b
			}
			if err := c.LoadCascades(bytesOf(arg(args, 0)), bytesOf(arg(args, 1))); err != nil {
				return err.Error()
			}
			return nil
		}),
	}
	js.Global().Set("__ggcore", js.ValueOf(core))
	if ready := js.Global().Get("__ggcoreReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {} // keep the callbacks alive for the page's lifetime
}
