//! The digests npm's `dist` carries for a tarball.

use base64::Engine as _;
use sha1::Sha1;
use sha2::{Digest, Sha512};

/// `sha1` hex, npm's `dist.shasum`.
pub fn shasum(bytes: &[u8]) -> String {
    hex::encode(Sha1::digest(bytes))
}

/// `sha512-BASE64`, npm's `dist.integrity` (Subresource Integrity).
pub fn integrity(bytes: &[u8]) -> String {
    let digest = Sha512::digest(bytes);
    format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}
