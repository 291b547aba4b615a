package classify

import (
	"image"
	"testing"

	"github.com/google/uuid"
)

func TestUnknownBlank(t *testing.T) {
	c := New(nil)
	img := image.NewGray(image.Rect(0, 0, 64, 40))
	r1, _, err := c.Classify(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, _, _ := c.Classify(img, &Options{CaptureType: CaptureFront})
	if r1.ClassName != ClassUnknown || r1.Name != "" || r1.CountryCode != "" || r1.DocumentID != "" {
		t.Fatalf("blank image: %+v", r1)
	}
	if _, err := uuid.Parse(r1.InstanceID); err != nil || r1.InstanceID == r2.InstanceID {
		t.Fatalf("InstanceID %q %q", r1.InstanceID, r2.InstanceID)
	}
	if _, _, err := c.Classify(nil, nil); err == nil {
		t.Fatal("nil image: want error")
	}
}
