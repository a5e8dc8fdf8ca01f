//! `Address`: the identity of an actor, unique within the process.

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use uuid::Uuid;

/// The identity of an actor: a time-ordered UUIDv7 (the default for every actor a stage creates) or
/// a plain number (handy in tests and examples).
///
/// Addresses are small `Copy` values. [`Display`](fmt::Display) prints the bare value (the
/// canonical lowercase UUID, or the decimal number) and [`FromStr`] parses either form back.
///
/// # Ordering
///
/// Numeric addresses order before UUID addresses; numbers compare by value and UUIDs by their
/// bytes, so addresses from [`Address::unique`] compare in creation order (within this process
/// the order is strict, see [`Address::unique`]). DomoActors defines no ordering; this one exists
/// so that addresses can key ordered maps and so that listings can be sorted by age.
///
/// # Examples
///
/// ```
/// use domo_actors::Address;
///
/// let first = Address::unique();
/// let second = Address::unique();
/// assert!(first < second);
/// assert_eq!(first.as_uuid().unwrap().get_version_num(), 7);
///
/// let parsed: Address = first.to_string().parse().unwrap();
/// assert_eq!(parsed, first);
///
/// let n = Address::from_number(42);
/// assert_eq!(n.to_string(), "42");
/// assert!(n < first);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address(Repr);

/// The variant order is the cross-kind order: numeric before UUID (the derived `Ord` relies on it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Numeric(u64),
    Uuid7(Uuid),
}

/// The next value handed out by [`Address::numeric`]; DomoActors' numeric addresses start at 1.
static NEXT_NUMERIC: AtomicU64 = AtomicU64::new(1);

/// The last UUID handed out by [`Address::unique`], as a `u128`.
///
/// `Uuid::now_v7` is monotonic only per generator context, and whether the shared context reads
/// the clock inside its lock depends on the `uuid` version; this lock makes strict process-wide
/// monotonicity our own guarantee rather than an implementation detail of a dependency.
static LAST_UUID: Mutex<u128> = Mutex::new(0);

impl Address {
    /// A new time-ordered UUIDv7 address: the default for actors.
    ///
    /// Every call returns an address strictly greater than every address previously returned by
    /// this function in this process, from any thread, even within one millisecond or if the
    /// system clock steps backwards (the 48-bit millisecond timestamp then runs slightly ahead of
    /// the clock until the clock catches up, as RFC 9562 allows). The first address of each
    /// millisecond has fresh random bits; the others of that millisecond count up from it.
    pub fn unique() -> Self {
        let now_ms = unix_millis();
        {
            let mut last = lock_last_uuid();
            // Within the millisecond of the last address (or behind it, if the clock stepped
            // back): count up from it. No fresh random bits, so no system call: creating many
            // actors at once costs no `getrandom` each (RFC 9562's monotonic counter method).
            if (*last >> 80) as u64 >= now_ms {
                let next = v7_successor(*last);
                *last = next;
                return Address(Repr::Uuid7(Uuid::from_u128(next)));
            }
        }
        // A new millisecond: fresh random bits, drawn outside the lock.
        let candidate = Uuid::now_v7().as_u128();
        let mut last = lock_last_uuid();
        let next = if candidate > *last {
            candidate
        } else {
            v7_successor(*last)
        };
        *last = next;
        Address(Repr::Uuid7(Uuid::from_u128(next)))
    }

    /// A new numeric address from a process-global counter that starts at 1.
    ///
    /// Numeric addresses are for tests and examples; they are unique within the process but say
    /// nothing about time.
    pub fn numeric() -> Self {
        Address(Repr::Numeric(NEXT_NUMERIC.fetch_add(1, Ordering::Relaxed)))
    }

    /// The numeric address `n`. Unlike [`Address::numeric`] it does not consult the counter, so
    /// it may equal an address already in use.
    pub const fn from_number(n: u64) -> Self {
        Address(Repr::Numeric(n))
    }

    /// The UUID address `uuid`. Any UUID version is accepted; it orders by its bytes.
    pub const fn from_uuid(uuid: Uuid) -> Self {
        Address(Repr::Uuid7(uuid))
    }

    /// The UUID, if this is a UUID address.
    pub const fn as_uuid(&self) -> Option<Uuid> {
        match self.0 {
            Repr::Uuid7(uuid) => Some(uuid),
            Repr::Numeric(_) => None,
        }
    }

    /// The number, if this is a numeric address.
    pub const fn as_number(&self) -> Option<u64> {
        match self.0 {
            Repr::Numeric(n) => Some(n),
            Repr::Uuid7(_) => None,
        }
    }

    /// Whether this is a numeric address.
    pub const fn is_numeric(&self) -> bool {
        matches!(self.0, Repr::Numeric(_))
    }

    /// The bare value as a string: the same text as [`Display`](fmt::Display) (DomoActors'
    /// `valueAsString()`).
    pub fn value_as_string(&self) -> String {
        self.to_string()
    }

    /// A short form for logs, as the runtime's `tracing` spans show it (`id`): the number of a
    /// numeric address; the last 12 hexadecimal digits of a UUID (its last group, so searching
    /// the logs for it also finds the full address, which the runtime logs once, when the actor
    /// is created). Formatted only when displayed.
    ///
    /// 48 bits: enough to tell actors apart in a log (among a million actors, the chance that
    /// two share one is about 1 in 500), but not an identity: look actors up by their full
    /// address.
    ///
    /// ```
    /// use domo_actors::Address;
    ///
    /// let address: Address = "0190b9a4-6c1e-7d3f-8a2b-5e3b0c1a9f27".parse().unwrap();
    /// assert_eq!(address.short().to_string(), "5e3b0c1a9f27");
    /// assert_eq!(Address::from_number(42).short().to_string(), "42");
    /// ```
    pub fn short(&self) -> impl fmt::Display + fmt::Debug + Copy + Send + Sync + use<> {
        ShortAddress(self.0)
    }
}

/// What [`Address::short`] returns.
#[derive(Clone, Copy)]
struct ShortAddress(Repr);

impl fmt::Display for ShortAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Numeric(n) => fmt::Display::fmt(&n, f),
            Repr::Uuid7(uuid) => write!(f, "{:012x}", uuid.as_u128() & ((1 << 48) - 1)),
        }
    }
}

/// The same text as `Display`: what a span field recorded with `?` shows.
impl fmt::Debug for ShortAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn lock_last_uuid() -> std::sync::MutexGuard<'static, u128> {
    // The critical sections are comparisons; a panic inside them is impossible, so a poisoned
    // lock still holds a valid value.
    LAST_UUID.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Milliseconds since the Unix epoch (0 for a clock set before it).
fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

/// The smallest UUIDv7 greater than `last`: the 122 bits other than version and variant
/// (timestamp, `rand_a`, `rand_b`) are treated as one counter and incremented, so a carry out of
/// the random bits advances the timestamp instead of corrupting the version or variant.
fn v7_successor(last: u128) -> u128 {
    const RAND_B_BITS: u32 = 62;
    const RAND_A_BITS: u32 = 12;
    const RAND_B_MASK: u128 = (1 << RAND_B_BITS) - 1;
    const RAND_A_MASK: u128 = (1 << RAND_A_BITS) - 1;
    const TIMESTAMP_MASK: u128 = (1 << 48) - 1;

    let timestamp = last >> 80;
    let rand_a = (last >> 64) & RAND_A_MASK;
    let rand_b = last & RAND_B_MASK;
    // 48 + 12 + 62 = 122 bits: adding one cannot overflow a u128.
    let counter =
        ((timestamp << (RAND_A_BITS + RAND_B_BITS)) | (rand_a << RAND_B_BITS) | rand_b) + 1;

    let timestamp = (counter >> (RAND_A_BITS + RAND_B_BITS)) & TIMESTAMP_MASK;
    let rand_a = (counter >> RAND_B_BITS) & RAND_A_MASK;
    let rand_b = counter & RAND_B_MASK;
    (timestamp << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Numeric(n) => fmt::Display::fmt(&n, f),
            Repr::Uuid7(uuid) => fmt::Display::fmt(&uuid.hyphenated(), f),
        }
    }
}

/// `Address(<value>)`: shorter than the derived form, and the value is what one searches logs for.
impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl FromStr for Address {
    type Err = ParseAddressError;

    /// Parses a decimal number (digits only) as a numeric address, and anything else the `uuid`
    /// crate accepts (hyphenated, simple, braced or URN form) as a UUID address.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A digit string too long for a u64 falls through: at 32 digits it may be a simple-form UUID.
        let decimal = if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse::<u64>().ok()
        } else {
            None
        };
        if let Some(n) = decimal {
            return Ok(Address::from_number(n));
        }
        Uuid::try_parse(s)
            .map(Address::from_uuid)
            .map_err(|_| ParseAddressError {
                input: s.to_owned(),
            })
    }
}

impl From<Uuid> for Address {
    fn from(uuid: Uuid) -> Self {
        Address::from_uuid(uuid)
    }
}

/// The error returned when parsing an [`Address`] from a string that is neither a decimal `u64`
/// nor a UUID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseAddressError {
    input: String,
}

impl fmt::Display for ParseAddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid address {:?}: expected a decimal number or a UUID",
            self.input
        )
    }
}

impl std::error::Error for ParseAddressError {}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::thread;

    use uuid::{Uuid, Variant};

    use super::{Address, v7_successor};

    #[test]
    fn the_short_form_is_the_end_of_the_full_one() {
        for _ in 0..100 {
            let address = Address::unique();
            let short = address.short().to_string();
            assert_eq!(short.len(), 12);
            assert!(address.to_string().ends_with(&format!("-{short}")));
        }
        let leading_zeros = Address::from_uuid(Uuid::from_u128(0xabc));
        assert_eq!(leading_zeros.short().to_string(), "000000000abc");
        assert_eq!(format!("{:?}", Address::from_number(7).short()), "7");
    }

    #[test]
    fn unique_is_uuid_v7() {
        let address = Address::unique();
        let uuid = address.as_uuid().expect("a UUID address");
        assert_eq!(uuid.get_version_num(), 7);
        assert_eq!(uuid.get_variant(), Variant::RFC4122);
        assert!(!address.is_numeric());
        assert_eq!(address.as_number(), None);
        let text = address.to_string();
        assert_eq!(text, text.to_lowercase());
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "7");
    }

    #[test]
    fn unique_is_strictly_increasing_and_unique_across_threads() {
        const THREADS: usize = 4;
        const PER_THREAD: usize = 2_500;
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                thread::spawn(|| {
                    let addresses: Vec<Address> =
                        (0..PER_THREAD).map(|_| Address::unique()).collect();
                    assert!(
                        addresses.windows(2).all(|w| w[0] < w[1]),
                        "per-thread order"
                    );
                    addresses
                })
            })
            .collect();
        let all: Vec<Address> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let distinct: HashSet<Address> = all.iter().copied().collect();
        assert_eq!(distinct.len(), THREADS * PER_THREAD);
        assert!(
            all.iter()
                .all(|a| a.as_uuid().unwrap().get_version_num() == 7)
        );
    }

    #[test]
    fn successor_carries_into_timestamp_and_keeps_version_and_variant() {
        let ts: u128 = 0x0123_4567_89ab;
        let all_random_ones =
            (ts << 80) | (0x7 << 76) | (0xfff << 64) | (0b10 << 62) | ((1 << 62) - 1);
        let next = v7_successor(all_random_ones);
        assert!(next > all_random_ones);
        let uuid = Uuid::from_u128(next);
        assert_eq!(uuid.get_version_num(), 7);
        assert_eq!(uuid.get_variant(), Variant::RFC4122);
        assert_eq!(next >> 80, ts + 1);
        assert_eq!(next & ((1 << 62) - 1), 0);

        // Without a carry the successor is simply the next integer.
        let plain: u128 = (ts << 80) | (0x7 << 76) | (0x123 << 64) | (0b10 << 62) | 41;
        assert_eq!(v7_successor(plain), plain + 1);
    }

    #[test]
    fn numeric_counts_up() {
        let a = Address::numeric();
        let b = Address::numeric();
        assert!(a.is_numeric());
        assert!(a.as_number().unwrap() >= 1);
        assert!(b.as_number().unwrap() > a.as_number().unwrap());
        assert_eq!(a.as_uuid(), None);
    }

    #[test]
    fn ordering_numeric_before_uuid() {
        let uuid = Address::from_uuid(Uuid::nil());
        let big = Address::from_number(u64::MAX);
        assert!(big < uuid);
        assert!(Address::from_number(2) < Address::from_number(10));
        assert!(Address::from_uuid(Uuid::from_u128(1)) < Address::from_uuid(Uuid::from_u128(2)));
    }

    #[test]
    fn display_and_from_str_round_trip() {
        for address in [
            Address::unique(),
            Address::numeric(),
            Address::from_number(0),
        ] {
            let text = address.value_as_string();
            assert_eq!(text, address.to_string());
            assert_eq!(text.parse::<Address>().unwrap(), address);
        }
        let uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        assert_eq!(
            "01900000-0000-7000-8000-000000000001"
                .parse::<Address>()
                .unwrap(),
            Address::from_uuid(uuid)
        );
        assert_eq!(
            "01900000000070008000000000000001"
                .parse::<Address>()
                .unwrap(),
            Address::from_uuid(uuid)
        );
        assert_eq!(format!("{:?}", Address::from_number(7)), "Address(7)");
    }

    #[test]
    fn from_str_rejects_garbage() {
        for bad in [
            "",
            "-1",
            "+1",
            "1.5",
            "abc",
            "18446744073709551616",
            "01900000-0000-7000-8000",
        ] {
            let error = bad.parse::<Address>().unwrap_err();
            assert!(
                error.to_string().contains("invalid address"),
                "{bad}: {error}"
            );
        }
    }
}
