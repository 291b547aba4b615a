package mrz

import "strings"

// iso3166 pairs every ISO 3166-1 alpha-3 code with its alpha-2 code.
const iso3166 = `AFGAF ALAAX ALBAL DZADZ ASMAS ANDAD AGOAO AIAAI ATAAQ ATGAG ARGAR ARMAM ABWAW AUSAU AUTAT AZEAZ
BHSBS BHRBH BGDBD BRBBB BLRBY BELBE BLZBZ BENBJ BMUBM BTNBT BOLBO BESBQ BIHBA BWABW BVTBV BRABR IOTIO
BRNBN BGRBG BFABF BDIBI CPVCV KHMKH CMRCM CANCA CYMKY CAFCF TCDTD CHLCL CHNCN CXRCX CCKCC COLCO COMKM
COGCG CODCD COKCK CRICR CIVCI HRVHR CUBCU CUWCW CYPCY CZECZ DNKDK DJIDJ DMADM DOMDO ECUEC EGYEG SLVSV
GNQGQ ERIER ESTEE SWZSZ ETHET FLKFK FROFO FJIFJ FINFI FRAFR GUFGF PYFPF ATFTF GABGA GMBGM GEOGE DEUDE
GHAGH GIBGI GRCGR GRLGL GRDGD GLPGP GUMGU GTMGT GGYGG GINGN GNBGW GUYGY HTIHT HMDHM VATVA HNDHN HKGHK
HUNHU ISLIS INDIN IDNID IRNIR IRQIQ IRLIE IMNIM ISRIL ITAIT JAMJM JPNJP JEYJE JORJO KAZKZ KENKE KIRKI
PRKKP KORKR KWTKW KGZKG LAOLA LVALV LBNLB LSOLS LBRLR LBYLY LIELI LTULT LUXLU MACMO MDGMG MWIMW MYSMY
MDVMV MLIML MLTMT MHLMH MTQMQ MRTMR MUSMU MYTYT MEXMX FSMFM MDAMD MCOMC MNGMN MNEME MSRMS MARMA MOZMZ
MMRMM NAMNA NRUNR NPLNP NLDNL NCLNC NZLNZ NICNI NERNE NGANG NIUNU NFKNF MKDMK MNPMP NORNO OMNOM PAKPK
PLWPW PSEPS PANPA PNGPG PRYPY PERPE PHLPH PCNPN POLPL PRTPT PRIPR QATQA REURE ROURO RUSRU RWARW BLMBL
SHNSH KNAKN LCALC MAFMF SPMPM VCTVC WSMWS SMRSM STPST SAUSA SENSN SRBRS SYCSC SLESL SGPSG SXMSX SVKSK
SVNSI SLBSB SOMSO ZAFZA SGSGS SSDSS ESPES LKALK SDNSD SURSR SJMSJ SWESE CHECH SYRSY TWNTW TJKTJ TZATZ
THATH TLSTL TGOTG TKLTK TONTO TTOTT TUNTN TURTR TKMTM TCATC TUVTV UGAUG UKRUA AREAE GBRGB USAUS UMIUM
URYUY UZBUZ VUTVU VENVE VNMVN VGBVG VIRVI WLFWF ESHEH YEMYE ZMBZM ZWEZW`

// icaoCodes are the ICAO 9303 codes that are not ISO 3166-1 alpha-3 codes
// but name a state (or organisation) with an ISO or ISO-reserved alpha-2:
// Germany's "D", the British nationality categories, Kosovo (XK, the
// user-assigned code in general use), the EU and the UN ("EU" and "UN"
// are ISO exceptionally reserved codes), and the ICAO specimen state
// Utopia, which gets the user-assigned code "XU" (ISO 3166 leaves XA-XZ to
// users, so it can never collide with a real country; same precedent as XK).
var icaoCodes = map[string]string{
	"D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBP": "GB", "GBS": "GB",
	"RKS": "XK", "EUE": "EU", "UNO": "UN", "UNA": "UN", "UNK": "UN",
	"UTO": "XU",
}

var alpha3 map[string]string

func init() {
	alpha3 = make(map[string]string, 260)
	for _, f := range strings.Fields(iso3166) {
		alpha3[f[:3]] = f[3:]
	}
}

// Alpha2 maps an MRZ state code (ISO 3166-1 alpha-3 or ICAO-specific, with
// or without '<' fillers) to an ISO 3166-1 alpha-2 code. Codes without a
// country (XXA stateless, XXB/XXC refugees, XXX unspecified, XOM and other
// organisations) give ok=false.
func Alpha2(code string) (string, bool) {
	code = strings.TrimRight(strings.ToUpper(code), "<")
	if a, ok := icaoCodes[code]; ok {
		return a, true
	}
	a, ok := alpha3[code]
	return a, ok
}
