//! The door's QR decoder (issue 12): a camera frame in, the first QR code's
//! text out. Loaded by `public/scan-worker.js` only when the door opens the
//! camera in a browser without `BarcodeDetector`, and run off the page's
//! thread there, so the search stays responsive while frames are read.

use wasm_bindgen::prelude::wasm_bindgen;

/// The text of the first readable QR code in an RGBA frame of
/// `width` × `height` pixels, or `None`.
#[wasm_bindgen]
pub fn decode(rgba: &[u8], width: u32, height: u32) -> Option<String> {
    let luma = luma_of(rgba);
    let (width, height) = (usize::try_from(width).ok()?, usize::try_from(height).ok()?);
    if width.checked_mul(height)? != luma.len() {
        return None;
    }
    let mut decoder = quircs::Quirc::default();
    decoder
        .identify(width, height, &luma)
        .filter_map(Result::ok)
        .filter_map(|code| code.decode().ok())
        .find_map(|data| String::from_utf8(data.payload).ok())
}

/// Grey levels of RGBA pixels (the integer Rec. 601 weights).
fn luma_of(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|pixel| {
            let [r, g, b] = [pixel[0], pixel[1], pixel[2]].map(u32::from);
            // At most 255: the weights sum to 256.
            ((77 * r + 150 * g + 29 * b) >> 8) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame with a QR code drawn the way the citizen's receipt draws
    /// it: dark modules on white, a quiet zone, each module `scale` pixels.
    fn frame(text: &str, scale: usize) -> (Vec<u8>, u32) {
        let code = qrcode::QrCode::new(text.as_bytes()).expect("encodes");
        let modules = code.width();
        let side = (modules + 8) * scale;
        let colors = code.to_colors();
        let mut rgba = vec![255u8; side * side * 4];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
                if mx < modules && my < modules && colors[my * modules + mx] == qrcode::Color::Dark
                {
                    let at = (y * side + x) * 4;
                    rgba[at..at + 3].fill(0);
                }
            }
        }
        (rgba, u32::try_from(side).expect("small"))
    }

    #[test]
    fn a_receipts_code_reads_back_as_its_text() {
        let (rgba, side) = frame("2DYRPBHZY", 6);
        assert_eq!(decode(&rgba, side, side).as_deref(), Some("2DYRPBHZY"));
    }

    #[test]
    fn a_frame_without_a_code_or_of_the_wrong_size_reads_nothing() {
        let blank = vec![255u8; 100 * 100 * 4];
        assert_eq!(decode(&blank, 100, 100), None);
        assert_eq!(decode(&blank, 100, 99), None);
        assert_eq!(decode(&blank, u32::MAX, 2), None);
    }
}
