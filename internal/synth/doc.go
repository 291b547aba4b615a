// Package synth renders synthetic ID-document captures with exact ground
// truth, for tests (quality, classify, e2e) and for `ggcapture fakecam`.
//
// Render draws a flat document (ID-1 card front or back, or an ID-3 passport
// data page: rounded corners, gradient guilloche security print, header,
// text fields in the Go fonts, a photo box, optional OCR-B MRZ and barcode),
// places it in 3-D in front of a pinhole camera over a procedural background
// and maps it into the frame through the exact homography: the flat document
// is drawn at 1.25 texels per output pixel, sampled bilinearly, and edge
// pixels get their exact area coverage from an 8x8 sub-sample grid, so the
// border looks like a camera's. It returns the image, the true corners and
// the true DPI (Sample.DocToImage maps any document millimetre position to
// output pixels). Every random choice comes from Doc.Seed, so a Doc always
// renders the same pixels on a platform, whatever GOMAXPROCS (per-pixel
// stages run in row bands on all CPUs natively; one under wasm).
//
// Knobs of Doc (zero value = default in brackets):
//
//   - Format: ID1 (85.60 x 53.98 mm, DPI width 3.370 in) or ID3 (125 x 88 mm,
//     DPI width 4.921 in). [ID1]
//   - Side: "Front" (photo, fields, signature) or "Back" (text, Barcode,
//     usually the TD1 MRZ). ID3 always draws the passport data page. [Front]
//   - Seed: drives layout, names, colours, background, glare placement, noise.
//   - Width, Height: output size in pixels. [1280x720]
//   - DPI: document pixels per inch in the output, by the team definition
//     mean(|TR-TL|, |BR-BL|) / physical width in inches. [0: the document
//     spans 70 % of the frame width (less if it would not fit), shrunk further
//     so that a tilted document stays inside 94 % of the frame]
//   - CenterX, CenterY: where the image of the document centre lands, as a
//     fraction of the frame width and height. [0.5, 0.5]
//   - TiltX, TiltY: degrees (|v| <= 60) the card is rotated about its own
//     horizontal / vertical axis before the perspective projection, seen from
//     1.25 document widths away (what a ~60° phone camera sees when the
//     document fills 70 % of the frame); the image is then scaled to DPI.
//     Positive TiltX brings the top edge closer to the camera (it looks
//     longer); positive TiltY brings the right edge closer. [0]
//   - Roll: degrees of in-plane rotation, clockwise on screen. Corners stay
//     the document's own TL TR BR BL whatever the roll. [0]
//   - Background: Plain (BackgroundColor or a seeded dark neutral, with a
//     faint multiplicative light falloff so black stays black), Clutter
//     (random papers, rectangles, lines, circles, text, small card-shaped
//     decoys), Wood (grain with straight plank seams), Fabric (weave, folds,
//     a straight hem), Desk (paper sheets, keyboard, pen, mug, phone). [Plain]
//   - BlurSigma: px, separable Gaussian blur (radius 3σ) of the final image,
//     applied after glare and vignetting, before noise. [0 = none]
//   - MotionBlur, MotionAngle: px and degrees; a straight smear of that
//     length (box profile, bilinear taps) in that direction (0 = horizontal,
//     clockwise on screen), like camera shake during the exposure; applied
//     before BlurSigma. [0 = none]
//   - Glare: 0..1, area of the saturated hotspot core(s) as a fraction of the
//     document area; each hotspot is an ellipse (aspect 1.2-2, seeded angle,
//     centred in the middle half of the document) with a Gaussian halo of
//     0.35 radii outside the core, lighting document pixels only. [0 = none]
//   - GlareStrength: 0..1, how far the core is pushed toward white:
//     out = in + (255-in)*strength*profile; 1 saturates the core to 255.
//     [1 when Glare > 0]
//   - GlareSpots: number of hotspots sharing the Glare area. [1]
//   - Noise: standard deviation of additive Gaussian noise, 0..255 units,
//     independent per channel and pixel (clipped to 0..255). [0 = none]
//   - Vignette: 0..1, corner darkening up to 35 % x v plus a linear lighting
//     gradient of ±15 % x v in a seeded direction. [0 = none]
//   - Shadow: 0..1, soft drop shadow under the document. [0 = none]
//   - MRZ: lines drawn in OCR-B (Debian fonts-ocr-b; see OCRBFace) at
//     2.54 mm per character, horizontally centred, with the ICAO 9303 line
//     centres: TD3 (ID3) 9.40 and 15.75 mm above the bottom edge; TD1 (ID1)
//     4.23 mm apart with the last line 5.9 mm above the bottom edge. The MRZ
//     zone is lightened as a clear area. Render fails if the font is missing
//     or a line does not fit. [nil = none]
//   - Barcode: image drawn on a white quiet zone on the back of an ID-1 card,
//     scaled (nearest neighbour) to the widest size that fits below the text;
//     Render fails if it is set for a front or an ID3 page. [nil = none]
//   - Face: photo for the photo box (centre-cropped, Catmull-Rom scaled).
//     [nil = a drawn head-and-shoulders]
//   - Document: a picture of the document's face (a scan or a specimen,
//     cropped to its edges) drawn instead of the generated layout, scaled
//     (Catmull-Rom) to the format's size with the format's rounded corners;
//     Side, Blank, Face, Barcode, MRZ, Title and Issuer are then unused.
//     [nil = the generated layout]
//   - Title, Issuer: header texts (document title and issuing region);
//     "" = seeded picks from built-in fictional lists.
//   - Empty: render the background (and the image effects) only, no
//     document; Corners and DPI are zero. For "no document" tests.
//   - Blank, DocColor: draw the card as a flat colour (white) with no content;
//     for exact-geometry tests.
//
// Order of operations: background, drop shadow, document, glare, vignette,
// motion blur, Gaussian blur, noise.
//
// Cost: see BenchmarkRender*. The document texture, the warp and the
// background each take roughly a third of a plain render; BlurSigma is the
// most expensive effect (its kernel has 2*ceil(3σ)+1 taps per pass).
//
// Coordinates: pixel (i, j) covers [i, i+1) x [j, j+1), so its centre is
// (i+0.5, j+0.5); Sample.Corners are in this continuous system.
package synth
