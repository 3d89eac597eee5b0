//! Password hashing with Argon2id at OWASP's minimum parameters (19 MiB,
//! 2 iterations, 1 lane). Hashing is deliberately slow, so it runs on the
//! blocking pool, never on the async runtime's threads — and at most
//! [`MAX_CONCURRENT_HASHES`] at once, so a flood of sign-ins queues instead
//! of taking 19 MiB each until memory runs out (DESIGN §6).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing failed: {0}")]
    Hash(String),
    #[error("the hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Hashes computed at the same time: twice the cores this server is sized
/// for keeps both busy, and bounds the memory at under 80 MiB.
pub const MAX_CONCURRENT_HASHES: usize = 4;

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_CONCURRENT_HASHES);

/// Runs one hash-sized job on the blocking pool, within the bound.
async fn bounded<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PasswordError> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(tokio::task::spawn_blocking(job).await?)
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) to store.
pub async fn hash(password: String) -> Result<String, PasswordError> {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| PasswordError::Hash(e.to_string()))
    })
    .await?
}

/// Whether `password` matches the stored PHC `hash`. For an unknown
/// username pass `None`: a dummy hash is checked instead, so the answer
/// takes as long as for a real account and timing tells nobody which
/// usernames exist.
pub async fn verify(hash: Option<String>, password: String) -> Result<bool, PasswordError> {
    let dummy = hash.is_none();
    let hash = match hash {
        Some(hash) => hash,
        None => dummy_hash().await?,
    };
    let matches = bounded(move || {
        let Ok(parsed) = argon2::PasswordHash::new(&hash) else {
            return false;
        };
        use argon2::PasswordVerifier;
        // The parameters stored in the hash are the ones used.
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await?;
    Ok(matches && !dummy)
}

/// A hash of a random password with the same parameters as real ones,
/// made once per process.
async fn dummy_hash() -> Result<String, PasswordError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| async {
            let mut random = [0u8; 24];
            argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut random);
            hash(format!("{random:?}")).await
        })
        .await
        .cloned()
}
