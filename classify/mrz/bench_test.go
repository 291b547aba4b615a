package mrz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/globalgateway/ggcapture/classify/mrz/internal/render"
)

// benchImage renders a TD3 passport page about 1400 px wide.
func benchImage(b *testing.B) *render.Sample {
	f := font(b)
	s, err := render.Render(f, render.Spec{Lines: strings.Split(specimens[0].lines, "|"), Seed: 1, Pitch: 28, Blur: 0.6, Noise: 4, Clutter: true})
	if err != nil {
		b.Fatal(err)
	}
	return &s
}

func BenchmarkLocate(b *testing.B) {
	s := benchImage(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Locate(s.Image); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Image.Rect.Dx()), "px-wide")
}

func BenchmarkRecognise(b *testing.B) {
	s := benchImage(b)
	zs, err := Locate(s.Image)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, _, err := Recognise(s.Image, &zs[0], nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	lines := strings.Split(specimens[0].lines, "|")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		fixed := Correct(lines, nil)
		if _, err := Parse(fixed); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	s := benchImage(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Read(s.Image); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParse() {
	d, err := Parse([]string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	})
	if err != nil {
		panic(err)
	}
	cc, _ := Alpha2(d.IssuingState)
	fmt.Println(d.Format, d.DocumentCode, d.IssuingState, cc, d.Surname, d.GivenNames, d.Number, d.ChecksPassed(), len(d.Checks))
	// Output: TD3 P UTO XU ERIKSSON ANNA MARIA L898902C3 5 5
}
