//! What tests arrange on a running sandbox where AWS offers no API to do it: CodeArtifact
//! authorization tokens that expire now, without moving the clock (which would also expire role
//! sessions and OIDC tokens). Everything else a broken setup needs is made through the real APIs
//! (see the README's "Putting the sandbox in a broken state").

use crate::SandboxHandle;

impl SandboxHandle {
    /// Makes one authorization token from GetAuthorizationToken expire now, as if its `duration`
    /// had run out: the PyPI endpoint then refuses it like any expired token (401, or the status of
    /// a `PypiBadToken` fault). Returns `false` for a token the sandbox never issued.
    pub fn expire_authorization_token(&self, token: &str) -> bool {
        let mut world = self.shared.world();
        let now = world.now();
        match world.tokens.get_mut(token) {
            Some(t) => {
                t.expires = t.expires.min(now);
                true
            }
            None => false,
        }
    }

    /// Makes every authorization token issued so far expire now (tokens asked for later are new
    /// and valid). Returns how many there were.
    pub fn expire_authorization_tokens(&self) -> usize {
        let mut world = self.shared.world();
        let now = world.now();
        for t in world.tokens.values_mut() {
            t.expires = t.expires.min(now);
        }
        world.tokens.len()
    }
}
