//! Randomness from the browser's cryptographic generator: request ids and
//! tracking codes made on the device.

/// A UUIDv7: time-ordered, so the outbox sends in creation order.
#[cfg(not(feature = "field"))]
pub fn request_id() -> String {
    let millis = u64::try_from(js_sys::Date::now() as i64).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes())
        .into_uuid()
        .to_string()
}

pub fn bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Every browser we support has crypto.getRandomValues; this only
        // keeps a broken one from producing all-zero codes.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}
