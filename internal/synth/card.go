package synth

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
)

var (
	surnames = []string{"ERIKSSON", "MORALES", "NGUYEN", "OKAFOR", "SCHMIDT", "TANAKA", "KOWALSKI", "DUBOIS",
		"O'BRIEN", "ROSSI", "SILVA", "HANSEN", "PETROV", "MURPHY", "KIM", "CHEN", "JOHNSON", "MARTIN"}
	givenNames = []string{"ANNA MARIA", "JOHN", "LUCIA", "OMAR", "MEI", "PIERRE", "SOFIA", "DAVID", "AMARA",
		"LARS", "ELENA", "KENJI", "GRACE", "MATEO", "NOOR", "OLIVIA JANE", "PETER", "ZOE"}
	cities = []string{"VANCOUVER", "SPRINGFIELD", "LYON", "OSAKA", "PORTO", "GDANSK", "CORK", "MALMO",
		"DENVER", "TORONTO", "MUNICH", "BERGEN", "AUSTIN", "ADELAIDE"}
	streets = []string{"MAPLE ST", "HIGH ST", "OAK AVE", "LAKE RD", "RUE DU PORT", "KING ST W", "ELM DR", "BAY RD"}
	regions = []string{"BRITISH COLUMBIA", "STATE OF UTOPIA", "REPUBLIC OF ARCADIA", "NEW CALEDONIA PROVINCE",
		"FEDERAL STATE OF ISTRIA", "COMMONWEALTH OF AVALON", "KINGDOM OF ELDORIA"}
	idTitles = []string{"DRIVER'S LICENCE", "DRIVER LICENSE", "IDENTIFICATION CARD", "RESIDENCE PERMIT", "IDENTITY CARD"}
)

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// orPick returns v, or a seeded pick when v is empty; it draws from r either
// way so that the rest of the layout does not depend on v.
func orPick(v string, r *rand.Rand, s []string) string {
	p := pick(r, s)
	if v != "" {
		return v
	}
	return p
}

func randDate(r *rand.Rand, y0, y1 int) string {
	return fmt.Sprintf("%02d.%02d.%04d", 1+r.IntN(28), 1+r.IntN(12), y0+r.IntN(y1-y0+1))
}

func hsv(h, s, v float64) color.RGBA {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return color.RGBA{uint8((r+m)*255 + 0.5), uint8((g+m)*255 + 0.5), uint8((b+m)*255 + 0.5), 255}
}

type theme struct {
	bg0, bg1, line, accent, label, ink color.RGBA
}

func newTheme(r *rand.Rand) theme {
	h := r.Float64() * 360
	return theme{
		bg0:    hsv(h, 0.10+0.15*r.Float64(), 0.93+0.06*r.Float64()),
		bg1:    hsv(h+40+60*r.Float64(), 0.12+0.18*r.Float64(), 0.90+0.08*r.Float64()),
		line:   hsv(h+180*r.Float64(), 0.35+0.3*r.Float64(), 0.55+0.3*r.Float64()),
		accent: hsv(h+20*r.Float64(), 0.65+0.3*r.Float64(), 0.30+0.35*r.Float64()),
		label:  hsv(h, 0.6, 0.45),
		ink:    color.RGBA{20 + uint8(r.IntN(20)), 20 + uint8(r.IntN(20)), 30 + uint8(r.IntN(30)), 255},
	}
}

// splat adds a dot of colour c and opacity a at (x,y) px with bilinear weights.
func splat(img *image.RGBA, x, y float64, c color.RGBA, a float64) {
	x -= 0.5
	y -= 0.5
	fx0, fy0 := math.Floor(x), math.Floor(y)
	x0, y0 := int(fx0), int(fy0)
	if x0 < 0 || y0 < 0 || x0+1 >= img.Rect.Max.X || y0+1 >= img.Rect.Max.Y {
		return
	}
	fx, fy := int32((x-fx0)*256), int32((y-fy0)*256)
	ai := int32(a * 256)
	ws := [4]int32{(256 - fx) * (256 - fy), fx * (256 - fy), (256 - fx) * fy, fx * fy}
	offs := [4]int{0, 4, img.Stride, img.Stride + 4}
	base := y0*img.Stride + x0*4
	cr, cg, cb := int32(c.R), int32(c.G), int32(c.B)
	for k, w := range ws {
		w = (w >> 8) * ai >> 8 // 0..256
		o := img.Pix[base+offs[k] : base+offs[k]+3 : base+offs[k]+3]
		o[0] = uint8(int32(o[0]) + ((cr-int32(o[0]))*w+128)>>8)
		o[1] = uint8(int32(o[1]) + ((cg-int32(o[1]))*w+128)>>8)
		o[2] = uint8(int32(o[2]) + ((cb-int32(o[2]))*w+128)>>8)
	}
}

// curve plots a parametric curve f(t), t in [0,1], given in canvas units,
// as a thin anti-aliased line of opacity a.
func (cv *canvas) curve(f func(t float64) (float64, float64), c color.RGBA, a float64) {
	// estimate length
	l := 0.0
	px, py := f(0)
	for i := 1; i <= 32; i++ {
		x, y := f(float64(i) / 32)
		l += math.Hypot(x-px, y-py)
		px, py = x, y
	}
	n := int(l*cv.k/0.8) + 2
	if n > 200000 {
		n = 200000
	}
	for i := 0; i <= n; i++ {
		x, y := f(float64(i) / float64(n))
		splat(cv.img, x*cv.k, y*cv.k, c, a)
	}
}

// guilloche fills the rectangle (canvas units) with a gradient and two
// families of interfering sine lines plus a rosette, like a security print.
func (cv *canvas) guilloche(x0, y0, w, h float64, th theme, r *rand.Rand, rosette bool) {
	img := cv.img
	px0, py0 := int(x0*cv.k), int(y0*cv.k)
	px1, py1 := min(int(math.Ceil((x0+w)*cv.k)), img.Rect.Max.X), min(int(math.Ceil((y0+h)*cv.k)), img.Rect.Max.Y)
	ang := r.Float64() * math.Pi
	dx, dy := math.Cos(ang), math.Sin(ang)
	span := math.Abs(dx)*float64(px1-px0) + math.Abs(dy)*float64(py1-py0) + 1
	var lut [1024]color.RGBA
	for i := range lut {
		lut[i] = lerpC(th.bg0, th.bg1, float64(i)/1023)
	}
	ax, ay := math.Abs(dx)/span*1023, math.Abs(dy)/span*1023
	for y := py0; y < py1; y++ {
		row := img.Pix[y*img.Stride:]
		t0 := ay * float64(y-py0)
		for x := px0; x < px1; x++ {
			c := lut[min(int(t0+ax*float64(x-px0)), 1023)]
			o := row[x*4 : x*4+4 : x*4+4]
			o[0], o[1], o[2], o[3] = c.R, c.G, c.B, 255
		}
	}
	lc := th.line
	for fam := 0; fam < 2; fam++ {
		n := 14 + r.IntN(10)
		lambda := w * (0.15 + 0.25*r.Float64())
		amp := h * (0.03 + 0.06*r.Float64())
		ph := r.Float64() * 2 * math.Pi
		alpha := 0.18 + 0.15*r.Float64()
		for i := 0; i < n; i++ {
			yc := y0 + h*(float64(i)+0.5)/float64(n)
			phi := ph + float64(i)*0.45*float64(1-2*fam)
			cv.curve(func(t float64) (float64, float64) {
				x := x0 + w*t
				return x, yc + amp*fastSin(x/lambda+phi/(2*math.Pi)) + 0.4*amp*fastSin(x/(lambda*0.37)+phi/math.Pi)
			}, lc, alpha)
		}
		lc = th.accent
	}
	if rosette {
		cx, cy := x0+w*(0.55+0.3*r.Float64()), y0+h*(0.3+0.4*r.Float64())
		R := h * (0.18 + 0.1*r.Float64())
		lobes := float64(6 + r.IntN(8))
		for i := 0; i < 10; i++ {
			rr := R * (0.6 + 0.04*float64(i))
			phase := float64(i) * 0.2
			cv.curve(func(t float64) (float64, float64) {
				rad := rr * (1 + 0.18*fastSin(lobes*t+phase/(2*math.Pi)))
				return cx + rad*fastSin(t+0.25), cy + rad*fastSin(t)
			}, th.line, 0.22)
		}
	}
}

// photo draws a head-and-shoulders placeholder or the given face into the box.
func (cv *canvas) photo(x, y, w, h float64, faceImg image.Image, r *rand.Rand) {
	if faceImg != nil && !faceImg.Bounds().Empty() {
		dr := image.Rect(int(x*cv.k), int(y*cv.k), int((x+w)*cv.k), int((y+h)*cv.k))
		sb := faceImg.Bounds()
		// crop the source to the box aspect (centre crop)
		want := float64(dr.Dx()) / float64(max(dr.Dy(), 1))
		sw, sh := float64(sb.Dx()), float64(sb.Dy())
		if sw/sh > want {
			cw := int(sh * want)
			sb.Min.X += (sb.Dx() - cw) / 2
			sb.Max.X = sb.Min.X + cw
		} else {
			ch := int(sw / want)
			sb.Min.Y += (sb.Dy() - ch) / 2
			sb.Max.Y = sb.Min.Y + ch
		}
		xdraw.CatmullRom.Scale(cv.img, dr, faceImg, sb, xdraw.Src, nil)
		return
	}
	bg := hsv(190+40*r.Float64(), 0.1+0.15*r.Float64(), 0.82+0.12*r.Float64())
	cv.fillRect(x, y, w, h, bg)
	skin := hsv(20+15*r.Float64(), 0.25+0.35*r.Float64(), 0.35+0.55*r.Float64())
	hair := hsv(20+20*r.Float64(), 0.3+0.5*r.Float64(), 0.08+0.5*r.Float64())
	cloth := hsv(r.Float64()*360, 0.2+0.5*r.Float64(), 0.15+0.5*r.Float64())
	cx := x + w/2 + (r.Float64()-0.5)*w*0.06
	// shoulders
	sh := ellipsePts(cx, y+h*1.02, w*0.48, h*0.30, 0, 48)
	cv.fillPoly(clipPtsY(sh, y+h), cloth)
	// neck
	cv.fillPoly(rectPts(cx-w*0.09, y+h*0.55, w*0.18, h*0.2), lerpC(skin, color.RGBA{0, 0, 0, 255}, 0.15))
	// hair behind the head, head, face
	cv.fillPoly(ellipsePts(cx, y+h*0.38, w*0.27, h*0.26, 0, 48), hair)
	cv.fillPoly(ellipsePts(cx, y+h*0.43, w*0.22, h*0.23, 0, 48), skin)
	eye := lerpC(skin, color.RGBA{0, 0, 0, 255}, 0.7)
	cv.fillPoly(ellipsePts(cx-w*0.08, y+h*0.41, w*0.03, h*0.015, 0, 16), eye)
	cv.fillPoly(ellipsePts(cx+w*0.08, y+h*0.41, w*0.03, h*0.015, 0, 16), eye)
	cv.fillPoly(ellipsePts(cx, y+h*0.54, w*0.06, h*0.012, 0, 16), lerpC(skin, color.RGBA{120, 20, 20, 255}, 0.5))
}

func clipPtsY(p [][2]float64, maxY float64) [][2]float64 {
	for i := range p {
		p[i][1] = math.Min(p[i][1], maxY)
	}
	return p
}

func (cv *canvas) signature(x, y, w, h float64, c color.RGBA, r *rand.Rand) {
	f1, f2, f3 := 2+r.Float64()*4, 7+r.Float64()*6, r.Float64()*6
	var pts [][2]float64
	for i := 0; i <= 120; i++ {
		t := float64(i) / 120
		pts = append(pts, [2]float64{
			x + w*t + w*0.04*math.Sin(2*math.Pi*f2*t+f3),
			y + h/2 + h*0.35*math.Sin(2*math.Pi*f1*t) + h*0.15*math.Cos(2*math.Pi*f2*t),
		})
	}
	cv.strokePath(pts, math.Max(0.25, 1.2/cv.k), c)
}

// faces used while drawing one document, sized in mm.
type faces struct {
	k  float64
	fs *fontSet
	m  map[string]font.Face
}

func (f *faces) get(kind string, mm float64) font.Face {
	key := fmt.Sprintf("%s%.2f", kind, mm)
	if fc, ok := f.m[key]; ok {
		return fc
	}
	var ft = f.fs.regular
	switch kind {
	case "b":
		ft = f.fs.bold
	case "m":
		ft = f.fs.medium
	case "mono":
		ft = f.fs.mono
	}
	// font size from cap height: Go fonts' cap height is ~0.70 em
	fc := face(ft, mm/0.70*f.k)
	f.m[key] = fc
	return fc
}

// drawDocument renders the flat document at k px/mm.
func drawDocument(d *Doc, k float64, r *rand.Rand) (*rgbTex, error) {
	wmm, hmm := d.Format.SizeMM()
	W, H := int(math.Round(wmm*k)), int(math.Round(hmm*k))
	cv := newCanvas(W, H, k)
	if d.Document != nil {
		xdraw.CatmullRom.Scale(cv.img, cv.img.Rect, d.Document, d.Document.Bounds(), xdraw.Src, nil)
		for i := 3; i < len(cv.img.Pix); i += 4 {
			cv.img.Pix[i] = 255 // opaque whatever the picture's alpha
		}
		return &rgbTex{pix: cv.img.Pix, w: W, h: H}, nil
	}
	if d.Blank {
		c := color.RGBA{255, 255, 255, 255}
		if d.DocColor != nil {
			c = color.RGBAModel.Convert(d.DocColor).(color.RGBA)
			c.A = 255
		}
		for i := 0; i < len(cv.img.Pix); i += 4 {
			cv.img.Pix[i], cv.img.Pix[i+1], cv.img.Pix[i+2], cv.img.Pix[i+3] = c.R, c.G, c.B, 255
		}
		return &rgbTex{pix: cv.img.Pix, w: W, h: H}, nil
	}
	fs, err := goFonts()
	if err != nil {
		return nil, err
	}
	var mrzFace font.Face
	if len(d.MRZ) > 0 {
		if mrzFace, err = mrzFaceFor(k); err != nil {
			return nil, err
		}
	}
	fc := &faces{k: k, fs: fs, m: map[string]font.Face{}}
	th := newTheme(r)
	mrzTop := hmm // top of the MRZ clear zone in mm
	if len(d.MRZ) > 0 {
		mrzTop = mrzZoneTop(d.Format, len(d.MRZ), hmm)
	}
	cv.guilloche(0, 0, wmm, hmm, th, r, d.Side != "Back" || d.Format == ID3)
	switch {
	case d.Format == ID3:
		drawPassport(cv, fc, th, d, r, mrzTop)
	case d.Side == "Back":
		drawBack(cv, fc, th, d, r, mrzTop)
	default:
		drawFront(cv, fc, th, d, r, mrzTop)
	}
	if len(d.MRZ) > 0 {
		if err := drawMRZ(cv, mrzFace, d, mrzTop); err != nil {
			return nil, err
		}
	}
	return &rgbTex{pix: cv.img.Pix, w: W, h: H}, nil
}

func labelled(cv *canvas, fc *faces, th theme, x, y float64, label, value string, valMM float64) {
	cv.text(fc.get("r", 1.1), x, y, label, th.label)
	cv.text(fc.get("b", valMM), x, y+valMM+0.9, value, th.ink)
}

func drawFront(cv *canvas, fc *faces, th theme, d *Doc, r *rand.Rand, bottom float64) {
	wmm, _ := d.Format.SizeMM()
	// header band
	band := 8.5 + 2*r.Float64()
	cv.fillRect(0, 0, wmm, band, th.accent)
	white := color.RGBA{250, 250, 250, 255}
	title := orPick(d.Title, r, idTitles)
	tw := cv.text(fc.get("b", 3.0), 4, band/2+1.5, title, white)
	region := orPick(d.Issuer, r, regions)
	// the region name gets what is left of the band, shrunk to fit
	avail := wmm - 4 - 4 - tw - 3
	sz := 1.6
	if w := textWidth(fc.get("m", sz), region, cv.k); w > avail {
		sz *= avail / w
	}
	if sz >= 0.9 {
		rf := fc.get("m", sz)
		cv.text(rf, wmm-4-textWidth(rf, region, cv.k), band/2+sz/2, region, white)
	}
	top := band + 2.5
	ph := math.Min(32, bottom-top-3)
	pw := ph * 0.78
	cv.photo(3.5, top, pw, ph, d.Face, r)
	x := 3.5 + pw + 3.5
	y := top + 1.4
	rows := []struct{ l, v string }{
		{"1 SURNAME", pick(r, surnames)},
		{"2 GIVEN NAMES", pick(r, givenNames)},
		{"3 DATE OF BIRTH", randDate(r, 1950, 2006)},
		{"4a ISSUED  4b EXPIRES", randDate(r, 2018, 2025) + "  " + randDate(r, 2027, 2035)},
		{"4d NUMBER", fmt.Sprintf("%s%07d", string(rune('A'+r.IntN(26))), r.IntN(10000000))},
		{"8 ADDRESS", fmt.Sprintf("%d %s, %s", 1+r.IntN(9999), pick(r, streets), pick(r, cities))},
	}
	for _, row := range rows {
		if y+4.5 > bottom-1 {
			break
		}
		labelled(cv, fc, th, x, y, row.l, row.v, 2.0)
		y += 5.2
	}
	if y+4 < bottom-1 {
		cv.signature(x, y, 22, 4, color.RGBA{20, 30, 110, 255}, r)
	}
	// small ghost photo
	if bottom > 40 {
		gx, gy := wmm-15, bottom-14
		cv.fillPoly(ellipsePts(gx+5, gy+5, 4, 5, 0, 32), withAlpha(th.accent, 0.25))
	}
}

func drawBack(cv *canvas, fc *faces, th theme, d *Doc, r *rand.Rand, bottom float64) {
	wmm, _ := d.Format.SizeMM()
	cv.fillRect(0, 0, wmm, 4.5, th.accent)
	white := color.RGBA{250, 250, 250, 255}
	cv.text(fc.get("b", 1.8), 3.5, 3.2, orPick(d.Issuer, r, regions), white)
	y := 8.0
	small := fc.get("r", 1.2)
	lines := []string{
		"9 CLASS  " + []string{"B", "C", "A1 B", "5"}[r.IntN(4)],
		"12 RESTRICTIONS  " + []string{"NONE", "CORRECTIVE LENSES", "DAYLIGHT ONLY"}[r.IntN(3)],
		"ENDORSEMENTS  " + []string{"NONE", "M", "H T"}[r.IntN(3)],
		fmt.Sprintf("DD %010d  REV %02d/%04d", r.IntN(1000000000), 1+r.IntN(12), 2015+r.IntN(10)),
	}
	for _, l := range lines {
		if y > bottom-2 {
			break
		}
		cv.text(small, 3.5, y, l, th.ink)
		y += 2.4
	}
	if d.Barcode != nil && !d.Barcode.Bounds().Empty() {
		b := d.Barcode.Bounds()
		areaTop, areaBot := y+0.5, bottom-1.5
		aw, ah := wmm-7, areaBot-areaTop
		if ah > 3 {
			ar := float64(b.Dx()) / float64(b.Dy())
			bw, bh := aw, aw/ar
			if bh > ah {
				bh, bw = ah, ah*ar
			}
			bx, by := (wmm-bw)/2, areaTop+(ah-bh)/2
			q := 1.5 // quiet zone, mm
			cv.fillRect(bx-q, by-q, bw+2*q, bh+2*q, color.RGBA{255, 255, 255, 255})
			dr := image.Rect(int(math.Round(bx*cv.k)), int(math.Round(by*cv.k)), int(math.Round((bx+bw)*cv.k)), int(math.Round((by+bh)*cv.k)))
			xdraw.NearestNeighbor.Scale(cv.img, dr, d.Barcode, b, xdraw.Src, nil)
		}
		return
	}
	backText := []string{
		"THIS CARD IS THE PROPERTY OF THE ISSUING AUTHORITY.",
		"IF FOUND, RETURN TO ANY REGISTRY OFFICE.",
		"ORGAN DONOR: " + []string{"YES", "NO", "SEE REGISTRY"}[r.IntN(3)],
		"HEIGHT " + fmt.Sprint(150+r.IntN(50)) + " CM   EYES " + []string{"BRN", "BLU", "GRN", "HAZ"}[r.IntN(4)],
		"ADDRESS CHANGE: REPORT WITHIN 10 DAYS",
		"VALID ONLY WITH PHOTO SIDE. TAMPERING IS AN OFFENCE.",
		fmt.Sprintf("AUDIT %08d  ICN %012d", r.IntN(100000000), r.Int64N(1000000000000)),
	}
	r.Shuffle(len(backText), func(i, j int) { backText[i], backText[j] = backText[j], backText[i] })
	for i := 0; y < bottom-3 && i < len(backText); i++ {
		cv.text(small, 3.5, y, backText[i], withAlpha(th.ink, 0.85))
		y += 2.4
	}
	// a coloured security strip along the bottom of the text block
	if y+4 < bottom-1 {
		cv.fillPoly(rectPts(3.5, y, wmm-7, 3), withAlpha(th.accent, 0.18))
	}
}

func drawPassport(cv *canvas, fc *faces, th theme, d *Doc, r *rand.Rand, bottom float64) {
	wmm, _ := d.Format.SizeMM()
	if len(d.MRZ) == 0 {
		bottom = 88 - 23.2
	}
	white := color.RGBA{250, 250, 250, 255}
	cv.fillRect(0, 0, wmm, 10, th.accent)
	title := "PASSPORT"
	if d.Title != "" {
		title = d.Title
	}
	cv.text(fc.get("b", 3.4), 5, 6.8, title, white)
	reg := orPick(d.Issuer, r, regions)
	rf := fc.get("m", 2.0)
	cv.text(rf, wmm-5-textWidth(rf, reg, cv.k), 6.2, reg, white)
	top := 14.0
	ph := math.Min(45, bottom-top-2)
	pw := ph * 0.78
	cv.photo(5, top, pw, ph, d.Face, r)
	x := 5 + pw + 5
	y := top + 1
	sur, giv := pick(r, surnames), pick(r, givenNames)
	rows := []struct{ l, v string }{
		{"Type / Type", "P"}, {"Surname / Nom", sur}, {"Given names / Prénoms", giv},
		{"Nationality / Nationalité", []string{"UTOPIAN", "ARCADIAN", "AVALONIAN", "ELDORIAN", "ISTRIAN"}[r.IntN(5)]},
		{"Date of birth / Date de naissance", randDate(r, 1950, 2006)},
		{"Place of birth / Lieu de naissance", pick(r, cities)},
		{"Date of expiry / Date d'expiration", randDate(r, 2027, 2036)},
	}
	for _, row := range rows {
		if y+5 > bottom-1 {
			break
		}
		labelled(cv, fc, th, x, y, row.l, row.v, 2.4)
		y += 6.2
	}
	num := fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10000000))
	nf := fc.get("b", 2.6)
	cv.text(fc.get("r", 1.1), wmm-5-30, top+1, "Passport No. / No. du passeport", th.label)
	cv.text(nf, wmm-5-textWidth(nf, num, cv.k), top+4.6, num, color.RGBA{150, 20, 30, 255})
	if y+5 < bottom-1 {
		cv.signature(x, y, 30, 5, color.RGBA{20, 30, 110, 255}, r)
	}
}
