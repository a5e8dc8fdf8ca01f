//! `Directory`: the stage's registry of live actors, by address and by type.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::{ActorRef, Address};
use foldhash::fast::RandomState;

/// How a [`Directory`] is laid out: the number of independently locked shards.
///
/// More shards mean less lock contention when many threads register and look up actors at once,
/// at a small fixed memory cost per shard.
///
/// ```
/// use domo_actors::{Directory, DirectoryConfig};
///
/// let directory = Directory::new(DirectoryConfig::HIGH_CAPACITY);
/// assert_eq!(directory.config().shards, 128);
/// assert_eq!(DirectoryConfig::default(), DirectoryConfig::DEFAULT);
/// assert_eq!(DirectoryConfig::with_shards(8).shards, 8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DirectoryConfig {
    /// The number of shards; must be at least 1.
    pub shards: usize,
}

impl DirectoryConfig {
    /// 32 shards: the default, for typical applications.
    pub const DEFAULT: DirectoryConfig = DirectoryConfig::with_shards(32);
    /// 16 shards: for small applications and tests.
    pub const SMALL: DirectoryConfig = DirectoryConfig::with_shards(16);
    /// 128 shards: for many actors created and looked up from many threads.
    pub const HIGH_CAPACITY: DirectoryConfig = DirectoryConfig::with_shards(128);

    /// A configuration with `shards` shards.
    pub const fn with_shards(shards: usize) -> Self {
        Self { shards }
    }
}

/// [`DirectoryConfig::DEFAULT`]: 32 shards.
impl Default for DirectoryConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A snapshot of how a [`Directory`]'s actors are spread over its shards.
///
/// Unlike DomoActors-TS, `min_per_shard` is the true minimum (TS folds in an extra zero).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DirectoryStats {
    /// The number of shards.
    pub shards: usize,
    /// The number of registered actors.
    pub total: usize,
    /// The number of actors in the least populated shard.
    pub min_per_shard: usize,
    /// The number of actors in the most populated shard.
    pub max_per_shard: usize,
}

/// The registry of live actors: a sharded map from [`Address`] to [`ActorRef`], plus an index by
/// type name.
///
/// The type index keeps *every* live actor of a type; DomoActors-TS keeps only the last one
/// registered and loses it when any actor of that type is removed.
///
/// All methods take `&self` and may be called from any thread. Each shard is guarded by its own
/// `RwLock`, so operations on actors in different shards do not contend; no user code runs under
/// these locks.
///
/// ```
/// use domo_actors::{Directory, DirectoryConfig};
///
/// let directory = Directory::new(DirectoryConfig::SMALL);
/// assert_eq!(directory.count(), 0);
/// assert!(directory.find_by_type("Account").is_empty());
/// ```
pub struct Directory {
    shards: Box<[RwLock<Shard>]>,
    /// Updated under the shard lock, so it is exact whenever no registration is in progress.
    count: AtomicUsize,
    config: DirectoryConfig,
}

/// One shard: the actors whose address hashes here, and the type index of those same actors.
/// Indexing per shard keeps both maps consistent under one lock and avoids a global lock.
#[derive(Default)]
struct Shard {
    actors: HashMap<Address, ActorRef, RandomState>,
    by_type: HashMap<Arc<str>, HashSet<Address, RandomState>, RandomState>,
}

impl Shard {
    fn unindex(&mut self, type_name: &str, address: &Address) {
        if let Some(addresses) = self.by_type.get_mut(type_name) {
            addresses.remove(address);
            if addresses.is_empty() {
                self.by_type.remove(type_name);
            }
        }
    }
}

impl Directory {
    /// An empty directory laid out as `config` says.
    ///
    /// # Panics
    ///
    /// If `config.shards` is 0.
    pub fn new(config: DirectoryConfig) -> Self {
        assert!(
            config.shards > 0,
            "DirectoryConfig::shards must be at least 1"
        );
        Self {
            shards: (0..config.shards).map(|_| RwLock::default()).collect(),
            count: AtomicUsize::new(0),
            config,
        }
    }

    /// Registers `actor` under its address (and its type), replacing any actor registered at the
    /// same address.
    pub fn register(&self, actor: ActorRef) {
        let address = actor.address();
        let type_name = Arc::clone(actor.type_name_arc());
        let mut shard = self.write(&address);
        let replaced = shard.actors.insert(address, actor);
        match &replaced {
            Some(old) => shard.unindex(old.type_name(), &address),
            None => {
                self.count.fetch_add(1, Ordering::Relaxed);
            }
        }
        shard.by_type.entry(type_name).or_default().insert(address);
        drop(shard);
        // `replaced` may be the last handle to its actor: dropped here, outside the lock.
        drop(replaced);
    }

    /// Removes the actor registered at `address` (from the type index too) and returns it.
    pub fn remove(&self, address: &Address) -> Option<ActorRef> {
        let mut shard = self.write(address);
        let removed = shard.actors.remove(address)?;
        shard.unindex(removed.type_name(), address);
        self.count.fetch_sub(1, Ordering::Relaxed);
        Some(removed)
    }

    /// The actor registered at `address`.
    pub fn get(&self, address: &Address) -> Option<ActorRef> {
        self.read(address).actors.get(address).cloned()
    }

    /// Whether an actor is registered at `address`.
    pub fn contains(&self, address: &Address) -> bool {
        self.read(address).actors.contains_key(address)
    }

    /// The number of registered actors: exact when no registration or removal is under way.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Every registered actor whose type name is `type_name`, ordered by address (for addresses
    /// from [`Address::unique`], that is creation order, so the newest is last).
    pub fn find_by_type(&self, type_name: &str) -> Vec<ActorRef> {
        let mut found: Vec<ActorRef> = Vec::new();
        for shard in self.shards.iter() {
            let shard = read_lock(shard);
            if let Some(addresses) = shard.by_type.get(type_name) {
                found.extend(
                    addresses
                        .iter()
                        .filter_map(|a| shard.actors.get(a))
                        .cloned(),
                );
            }
        }
        found.sort_unstable_by_key(ActorRef::address);
        found
    }

    /// Every registered actor, in no particular order. Each shard is read consistently, but the
    /// whole is not a single atomic snapshot if registrations happen meanwhile.
    pub fn all(&self) -> Vec<ActorRef> {
        let mut all = Vec::with_capacity(self.count());
        for shard in self.shards.iter() {
            all.extend(read_lock(shard).actors.values().cloned());
        }
        all
    }

    /// Removes every actor (the actors themselves keep running).
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            let mut guard = write_lock(shard);
            let taken = std::mem::take(&mut *guard);
            self.count.fetch_sub(taken.actors.len(), Ordering::Relaxed);
            drop(guard);
            // Dropping the handles may drop the last reference to an actor: outside the lock.
            drop(taken);
        }
    }

    /// The configuration this directory was created with.
    pub fn config(&self) -> DirectoryConfig {
        self.config
    }

    /// How the actors are spread over the shards.
    pub fn stats(&self) -> DirectoryStats {
        let sizes = self
            .shards
            .iter()
            .map(|shard| read_lock(shard).actors.len());
        let (total, min, max) = sizes.fold((0, usize::MAX, 0), |(total, min, max), size| {
            (total + size, min.min(size), max.max(size))
        });
        DirectoryStats {
            shards: self.shards.len(),
            total,
            min_per_shard: min,
            max_per_shard: max,
        }
    }

    fn shard(&self, address: &Address) -> &RwLock<Shard> {
        &self.shards[shard_index(address, self.shards.len())]
    }

    fn read(&self, address: &Address) -> RwLockReadGuard<'_, Shard> {
        read_lock(self.shard(address))
    }

    fn write(&self, address: &Address) -> RwLockWriteGuard<'_, Shard> {
        write_lock(self.shard(address))
    }
}

/// [`DirectoryConfig::DEFAULT`].
impl Default for Directory {
    fn default() -> Self {
        Self::new(DirectoryConfig::default())
    }
}

impl fmt::Debug for Directory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Directory")
            .field("shards", &self.shards.len())
            .field("count", &self.count())
            .finish()
    }
}

/// The shard for `address`. Numeric addresses are sequential and a UUIDv7's high bits are a
/// timestamp, so the bits are mixed (Fibonacci hashing) before reducing: a plain modulo would put
/// neighbouring addresses, or one millisecond's worth of them, in related shards.
fn shard_index(address: &Address, shards: usize) -> usize {
    const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
    let bits = match (address.as_number(), address.as_uuid()) {
        (Some(n), _) => n,
        (None, Some(uuid)) => {
            let value = uuid.as_u128();
            (value as u64) ^ ((value >> 64) as u64)
        }
        (None, None) => unreachable!("an address is numeric or a UUID"),
    };
    // The high half of the product is the well-mixed part.
    ((bits.wrapping_mul(GOLDEN) >> 32) as usize) % shards
}

// No user code runs under these locks, so a poisoned lock still guards consistent maps.
fn read_lock(shard: &RwLock<Shard>) -> RwLockReadGuard<'_, Shard> {
    shard.read().unwrap_or_else(PoisonError::into_inner)
}

fn write_lock(shard: &RwLock<Shard>) -> RwLockWriteGuard<'_, Shard> {
    shard.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;
    use std::thread;

    use super::{Directory, DirectoryConfig, shard_index};
    use crate::{ActorRef, Address};

    fn actor(address: Address, type_name: &str) -> ActorRef {
        ActorRef::for_test(address, type_name)
    }

    #[test]
    fn register_get_remove() {
        let directory = Directory::default();
        let a = actor(Address::unique(), "Account");
        directory.register(a.clone());
        assert_eq!(directory.count(), 1);
        assert!(directory.contains(&a.address()));
        assert_eq!(directory.get(&a.address()), Some(a.clone()));

        assert_eq!(directory.remove(&a.address()), Some(a.clone()));
        assert_eq!(directory.remove(&a.address()), None);
        assert_eq!(directory.get(&a.address()), None);
        assert!(!directory.contains(&a.address()));
        assert_eq!(directory.count(), 0);
        assert!(directory.find_by_type("Account").is_empty());
    }

    #[test]
    fn register_replaces_same_address() {
        let directory = Directory::new(DirectoryConfig::SMALL);
        let address = Address::from_number(5);
        directory.register(actor(address, "Old"));
        directory.register(actor(address, "New"));
        assert_eq!(directory.count(), 1);
        assert_eq!(directory.get(&address).unwrap().type_name(), "New");
        assert!(directory.find_by_type("Old").is_empty());
        assert_eq!(directory.find_by_type("New").len(), 1);
    }

    #[test]
    fn type_index_keeps_every_actor_of_a_type() {
        let directory = Directory::default();
        let accounts: Vec<ActorRef> = (0..5)
            .map(|_| actor(Address::unique(), "Account"))
            .collect();
        for account in &accounts {
            directory.register(account.clone());
        }
        directory.register(actor(Address::unique(), "Teller"));

        assert_eq!(
            directory.find_by_type("Account"),
            accounts,
            "all, in creation order"
        );
        assert_eq!(directory.find_by_type("Teller").len(), 1);
        assert!(directory.find_by_type("Nobody").is_empty());

        directory.remove(&accounts[1].address());
        directory.remove(&accounts[4].address());
        let expected = vec![
            accounts[0].clone(),
            accounts[2].clone(),
            accounts[3].clone(),
        ];
        assert_eq!(directory.find_by_type("Account"), expected);
        assert_eq!(directory.count(), 4);
    }

    #[test]
    fn concurrent_registrations_are_all_found() {
        const THREADS: usize = 4;
        const PER_THREAD: usize = 2_500;
        let directory = Arc::new(Directory::new(DirectoryConfig::default()));
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let directory = Arc::clone(&directory);
                thread::spawn(move || {
                    let type_name = format!("Type{}", t % 2);
                    (0..PER_THREAD)
                        .map(|_| {
                            let address = Address::unique();
                            directory.register(actor(address, &type_name));
                            address
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let addresses: Vec<Address> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();

        assert_eq!(directory.count(), THREADS * PER_THREAD);
        assert!(addresses.iter().all(|a| directory.get(a).is_some()));
        assert_eq!(directory.all().len(), THREADS * PER_THREAD);
        let distinct: HashSet<Address> = directory.all().iter().map(ActorRef::address).collect();
        assert_eq!(distinct.len(), THREADS * PER_THREAD);
        assert_eq!(directory.find_by_type("Type0").len(), 2 * PER_THREAD);
        assert_eq!(directory.find_by_type("Type1").len(), 2 * PER_THREAD);

        let stats = directory.stats();
        assert_eq!(stats.shards, 32);
        assert_eq!(stats.total, THREADS * PER_THREAD);
        assert!(
            stats.min_per_shard > 0,
            "addresses spread over every shard: {stats:?}"
        );
        assert!(stats.max_per_shard < 2 * stats.min_per_shard, "{stats:?}");

        // Concurrent removal of half of them.
        let (left, right) = addresses.split_at(addresses.len() / 2);
        let removers: Vec<_> = [left.to_vec(), right[..right.len() / 2].to_vec()]
            .into_iter()
            .map(|chunk| {
                let directory = Arc::clone(&directory);
                thread::spawn(move || {
                    chunk
                        .iter()
                        .filter(|a| directory.remove(a).is_some())
                        .count()
                })
            })
            .collect();
        let removed: usize = removers.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(directory.count(), THREADS * PER_THREAD - removed);
        assert_eq!(directory.stats().total, directory.count());
    }

    #[test]
    fn numeric_addresses_spread_over_shards() {
        let shards = 16;
        let used: HashSet<usize> = (1..=64)
            .map(|n| shard_index(&Address::from_number(n), shards))
            .collect();
        assert_eq!(used.len(), shards);
    }

    #[test]
    fn clear_and_stats() {
        let directory = Directory::new(DirectoryConfig::with_shards(4));
        let empty = directory.stats();
        assert_eq!(
            (empty.total, empty.min_per_shard, empty.max_per_shard),
            (0, 0, 0)
        );
        for n in 1..=10 {
            directory.register(actor(Address::from_number(n), "Counter"));
        }
        assert_eq!(directory.stats().total, 10);
        directory.clear();
        assert_eq!(directory.count(), 0);
        assert!(directory.all().is_empty());
        assert!(directory.find_by_type("Counter").is_empty());
        assert_eq!(directory.config(), DirectoryConfig::with_shards(4));
        assert_eq!(
            format!("{directory:?}"),
            "Directory { shards: 4, count: 0 }"
        );
    }

    #[test]
    #[should_panic(expected = "at least 1")]
    fn zero_shards_panics() {
        let _ = Directory::new(DirectoryConfig::with_shards(0));
    }
}
