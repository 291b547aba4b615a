package capture

// Kind is what a capture session is capturing.
type Kind int

// The capture kinds. Front, Back and Passport are documents (Front and Back
// are ID-1 cards, Passport is an ID-3 data page); Selfie is a face.
const (
	Front Kind = iota
	Back
	Passport
	Selfie
)

var kindNames = [...]string{"front", "back", "passport", "selfie"}

// String returns "front", "back", "passport" or "selfie" (or "kind(N)" for
// an unknown value).
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + itoa(int(k)) + ")"
}

// IsDocument reports whether k is a document kind (Front, Back, Passport).
func (k Kind) IsDocument() bool { return k >= Front && k <= Passport }

// ParseKind maps "front", "back", "passport" or "selfie" to its Kind.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// Guidance is the instruction shown to the user for the current frame.
type Guidance int

// Guidance values. The first seven are for documents, the next five for
// selfies (Capturing is shared), and TurnSideways for documents again (added
// later: the values are stable). String() gives a stable snake_case key for
// localisation tables; Message gives the default English text.
const (
	NoDocument   Guidance = iota // no document found in the frame
	MoveCloser                   // document/face too small (coverage, DPI or face size too low)
	TooClose                     // document too big or touching the frame border
	ReduceGlare                  // glare score below the threshold
	Blurry                       // sharpness score below the threshold
	HoldSteady                   // document good: hold it steady until the snap
	Capturing                    // the snap happened (terminal)
	CenterFace                   // no face, or the face is not centred in the oval
	MoveBack                     // face too big
	LookStraight                 // head roll or yaw too large
	OnlyOneFace                  // more than one face in the frame
	HoldStill                    // face good: hold still until the snap
	TurnSideways                 // upright frame too narrow for the minimum DPI: turn the phone to landscape
)

var guidanceKeys = [...]string{
	NoDocument:   "no_document",
	MoveCloser:   "move_closer",
	TooClose:     "too_close",
	ReduceGlare:  "reduce_glare",
	Blurry:       "blurry",
	HoldSteady:   "hold_steady",
	Capturing:    "capturing",
	CenterFace:   "center_face",
	MoveBack:     "move_back",
	LookStraight: "look_straight",
	OnlyOneFace:  "only_one_face",
	HoldStill:    "hold_still",
	TurnSideways: "turn_sideways",
}

var guidanceMessages = [...]string{
	NoDocument:   "Place the document in the frame",
	MoveCloser:   "Move closer",
	TooClose:     "Too close",
	ReduceGlare:  "Reduce glare",
	Blurry:       "Too blurry, hold the camera still",
	HoldSteady:   "Hold steady",
	Capturing:    "Capturing…",
	CenterFace:   "Center your face",
	MoveBack:     "Move back",
	LookStraight: "Look straight",
	OnlyOneFace:  "Only one face",
	HoldStill:    "Hold still",
	TurnSideways: "Turn your phone sideways",
}

// String returns the stable snake_case key of g ("no_document",
// "move_closer", ...); an unknown value gives "guidance(N)".
func (g Guidance) String() string {
	if g >= 0 && int(g) < len(guidanceKeys) {
		return guidanceKeys[g]
	}
	return "guidance(" + itoa(int(g)) + ")"
}

// MarshalText encodes g as its key, so JSON carries "hold_steady" etc.
func (g Guidance) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// ParseGuidance maps a key produced by String back to its Guidance.
func ParseGuidance(key string) (Guidance, bool) {
	for i, k := range guidanceKeys {
		if k == key {
			return Guidance(i), true
		}
	}
	return 0, false
}

// Message returns the default English text for g ("Move closer",
// "Capturing…", ...), or "" for an unknown value.
func Message(g Guidance) string {
	if g >= 0 && int(g) < len(guidanceMessages) {
		return guidanceMessages[g]
	}
	return ""
}

// Guidances lists every Guidance value in order (for localisation tables).
func Guidances() []Guidance {
	out := make([]Guidance, len(guidanceKeys))
	for i := range out {
		out[i] = Guidance(i)
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	var b [24]byte
	i := len(b)
	for u > 0 {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
