//! Fault injection: named operations fail with a named AWS error, always or at a seeded rate.

use std::fmt;
use std::str::FromStr;

/// `OPERATION=ERRORCODE[@RATE|#COUNT]`: `OPERATION` is an AWS operation name (`GetRole`,
/// `DescribeDomain`, `PypiUpload`, …), a GitHub one (`GitHub:CreateVariable`, …) or `*`; `RATE` is
/// the probability in 0..=1 (default 1: always); `#COUNT` fails exactly the first COUNT matching
/// calls, then lets them through (deterministic even under concurrency: e.g. throttling that SDK
/// retries recover from). `ERRORCODE` may also be an HTTP status (`403`, `500`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub operation: String,
    pub error_code: String,
    pub rate: f64,
    /// Fail only the first this many calls.
    pub count: Option<u64>,
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (operation, rest) = s.split_once('=').ok_or_else(|| {
            format!(
                "{s:?}: expected OPERATION=ERRORCODE[@RATE|#COUNT], e.g. GetRole=Throttling@0.5"
            )
        })?;
        let (rest, count) = match rest.split_once('#') {
            Some((code, count)) => {
                let count: u64 = count
                    .parse()
                    .map_err(|_| format!("{s:?}: count {count:?} is not a whole number"))?;
                (code, Some(count))
            }
            None => (rest, None),
        };
        let (error_code, rate) = match rest.split_once('@') {
            Some((code, rate)) => {
                let rate: f64 = rate
                    .parse()
                    .map_err(|_| format!("{s:?}: rate {rate:?} is not a number between 0 and 1"))?;
                (code, rate)
            }
            None => (rest, 1.0),
        };
        let valid_name = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric());
        let valid_operation = match operation.split_once(':') {
            Some(("GitHub", op)) => valid_name(op),
            Some(_) => false,
            None => operation == "*" || valid_name(operation),
        };
        if !valid_operation {
            return Err(format!(
                "{s:?}: operation {operation:?} must be an AWS operation name like GetRole, a GitHub \
                 one like GitHub:CreateVariable, or *"
            ));
        }
        if !valid_name(error_code) {
            return Err(format!(
                "{s:?}: error code {error_code:?} must be an AWS error code like ThrottlingException"
            ));
        }
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("{s:?}: rate {rate} must be between 0 and 1"));
        }
        Ok(Fault {
            operation: operation.to_owned(),
            error_code: error_code.to_owned(),
            rate,
            count,
        })
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.operation, self.error_code)?;
        if self.rate < 1.0 {
            write!(f, "@{}", self.rate)?;
        }
        if let Some(count) = self.count {
            write!(f, "#{count}")?;
        }
        Ok(())
    }
}

/// Decides, deterministically for a given seed and request order, whether a call fails.
#[derive(Debug)]
pub struct FaultInjector {
    faults: Vec<Fault>,
    state: u64,
    /// Calls each fault (by index) has failed so far, for `#COUNT`.
    failed: Vec<u64>,
}

impl FaultInjector {
    pub fn new(faults: Vec<Fault>, seed: u64) -> Self {
        Self {
            failed: vec![0; faults.len()],
            faults,
            state: seed,
        }
    }

    /// The error code `operation` must fail with this time, if any.
    pub fn decide(&mut self, operation: &str) -> Option<String> {
        let index = self
            .faults
            .iter()
            .position(|f| f.operation == operation || f.operation == "*")?;
        self.fire(index)
    }

    /// [`decide`](Self::decide) for a mode that only a fault naming it turns on (`*` does not):
    /// `PypiBadToken=404` makes the PyPI endpoint answer 404 instead of 401 for a bad token.
    pub fn decide_named(&mut self, operation: &str) -> Option<String> {
        let index = self.faults.iter().position(|f| f.operation == operation)?;
        self.fire(index)
    }

    fn fire(&mut self, index: usize) -> Option<String> {
        let fault = self.faults[index].clone();
        if let Some(count) = fault.count {
            let failed = &mut self.failed[index];
            if *failed >= count {
                return None;
            }
            *failed += 1;
            return Some(fault.error_code);
        }
        if fault.rate >= 1.0 {
            return Some(fault.error_code);
        }
        let draw = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (draw < fault.rate).then_some(fault.error_code)
    }

    /// splitmix64: tiny, seedable, good enough to spread failures.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The HTTP status AWS uses for an error code (for codes we do not know: 400, a client error). A code
/// that is itself an HTTP error status (`403`) is that status; `RateLimited` is GitHub's 403.
pub fn status_for(code: &str) -> u16 {
    if let Ok(status) = code.parse::<u16>()
        && (400..=599).contains(&status)
    {
        return status;
    }
    match code {
        "AccessDenied"
        | "AccessDeniedException"
        | "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "MissingAuthenticationToken"
        | "ExpiredToken" => 403,
        "ResourceNotFoundException" | "NoSuchEntity" | "UnknownOperationException" | "NotFound" => {
            404
        }
        "ConflictException" | "EntityAlreadyExists" | "LimitExceeded" | "DeleteConflict" => 409,
        "RateLimited" => 403,
        "ServiceQuotaExceededException" => 402,
        "ThrottlingException" | "TooManyRequestsException" => 429,
        "InternalFailure" | "InternalServerException" | "InternalError" | "ServiceFailure" => 500,
        "ServiceUnavailable" | "ServiceUnavailableException" => 503,
        _ => 400,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fault_specs() {
        let f: Fault = "GetRole=Throttling@0.25".parse().unwrap();
        assert_eq!(
            f,
            Fault {
                operation: "GetRole".into(),
                error_code: "Throttling".into(),
                rate: 0.25,
                count: None,
            }
        );
        let f: Fault = "DescribeDomain=ThrottlingException#2".parse().unwrap();
        assert_eq!(f.count, Some(2));
        assert_eq!(f.to_string(), "DescribeDomain=ThrottlingException#2");
        let f: Fault = "GitHub:CreateVariable=403".parse().unwrap();
        assert_eq!(f.operation, "GitHub:CreateVariable");
        assert_eq!(status_for(&f.error_code), 403);
        assert_eq!(status_for("RateLimited"), 403);
        assert_eq!(status_for("200"), 400, "only error statuses");
        let f: Fault = "*=InternalFailure".parse().unwrap();
        assert_eq!(f.rate, 1.0);
        assert_eq!(f.to_string(), "*=InternalFailure");
        for bad in [
            "GetRole",
            "=X",
            "GetRole=",
            "GetRole=X@2",
            "GetRole=X@abc",
            "Get Role=X",
            "Git:CreateVariable=X",
            "GitHub:=X",
            "GetRole=X#-1",
            "GetRole=X#many",
        ] {
            assert!(bad.parse::<Fault>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn count_fails_exactly_the_first_calls() {
        let faults = vec!["DescribeDomain=ThrottlingException#2".parse().unwrap()];
        let mut inj = FaultInjector::new(faults, 1);
        let got: Vec<bool> = (0..5)
            .map(|_| inj.decide("DescribeDomain").is_some())
            .collect();
        assert_eq!(got, [true, true, false, false, false]);
        assert_eq!(inj.decide("GetRole"), None);
    }

    #[test]
    fn rate_is_seeded_and_roughly_right() {
        let faults = vec!["DescribeDomain=ThrottlingException@0.5".parse().unwrap()];
        let run = |seed| {
            let mut inj = FaultInjector::new(faults.clone(), seed);
            (0..1000)
                .map(|_| inj.decide("DescribeDomain").is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7), "same seed, same failures");
        let failed = run(7).iter().filter(|f| **f).count();
        assert!(
            (350..650).contains(&failed),
            "about half should fail, got {failed}"
        );
        let mut inj = FaultInjector::new(faults, 7);
        assert_eq!(
            inj.decide("GetRole"),
            None,
            "other operations are untouched"
        );
    }
}
