// Package quality measures how usable a photographed identity document is and
// finds it in a frame: glare, sharpness, resolution (DPI), the document's
// corner quadrilateral, and the perspective crop + deskew of the document.
//
// The package is pure: it does no I/O, starts no goroutines, never panics on
// bad input and allocates nothing per frame in Analyzer.Analyze.
//
// Coordinates: points are in pixels of the image they refer to, X right, Y
// down, continuous coordinates where pixel (i, j) covers [i, i+1) x [j, j+1)
// (so its centre is at i+0.5, j+0.5). Quads list corners clockwise from the
// top-left: TL, TR, BR, BL; the "top" side is the upper of the two long sides.
//
// Metrics (see docs/quality.md for the measured figures):
//
//   - Glare 0..100, 100 = no glare. The weighted area fraction A of specular
//     hotspots inside the document (pixels clearly brighter than the
//     document's own paper white, near saturation, in solid blobs), mapped
//     as 100*exp(-A/0.0577): 4 % of the document fully blown out scores 50.
//   - Sharpness 0..100, higher = sharper. From the lag-1 autocorrelation a of
//     the image gradient at edges (a contrast-free edge-width measure), an
//     equivalent Gaussian edge spread s = sqrt(-1/(4 ln a)) px is derived and
//     mapped as 100/(1+(s/1.6)^3): s = 1.6 px scores 50.
//   - DPI = mean(len(top), len(bottom)) / physical width in inches.
package quality
