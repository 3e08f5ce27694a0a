//! Password hashing for local accounts: argon2id with the crate's default parameters
//! (19 MiB, 2 passes, 1 lane) and a random 16-byte salt, stored as a PHC string
//! (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;

/// The shortest password [`check_password_policy`] accepts, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashing failed (in practice only if the system's random source fails).
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct PasswordError(argon2::password_hash::Error);

/// Hashes `plain` with argon2id, default parameters and a fresh random salt; returns the
/// PHC string to store.
pub fn hash_password(plain: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(plain.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(PasswordError)
}

/// Whether `plain` is the password hashed in the PHC string `phc`. False, never an error,
/// for a wrong password and for a malformed or unsupported hash alike. The algorithm,
/// version and parameters are those recorded in `phc`.
pub fn verify_password(plain: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(plain.as_bytes(), &parsed)
        .is_ok()
}

/// The rules a new password must meet: at least [`MIN_PASSWORD_CHARS`] characters, and
/// not one character repeated. The error is a sentence to show to the person choosing it.
pub fn check_password_policy(plain: &str) -> Result<(), String> {
    let chars = plain.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters long (it has {chars})"
        ));
    }
    let mut rest = plain.chars();
    let first = rest.next();
    if rest.all(|c| Some(c) == first) {
        return Err("the password must not be a single character repeated".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_argon2id_phc_and_verifies_only_the_right_password() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse batterY", &phc));
        assert!(!verify_password("", &phc));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let a = hash_password("same password here").unwrap();
        let b = hash_password("same password here").unwrap();
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify_password("same password here", &a));
        assert!(verify_password("same password here", &b));
    }

    #[test]
    fn malformed_or_foreign_hashes_never_verify() {
        let good = hash_password("correct horse battery").unwrap();
        let truncated = &good[..good.len() - 10];
        for phc in [
            "",
            "not a hash",
            "$argon2id$",
            truncated,
            "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
        ] {
            assert!(!verify_password("correct horse battery", phc), "{phc:?}");
        }
    }

    #[test]
    fn policy_wants_twelve_characters_not_all_the_same() {
        assert_eq!(
            check_password_policy("short").unwrap_err(),
            "the password must be at least 12 characters long (it has 5)"
        );
        assert!(check_password_policy("").is_err());
        // Characters, not bytes: 11 two-byte characters are too short.
        assert!(check_password_policy(&"é".repeat(11)).is_err());
        assert_eq!(
            check_password_policy(&"a".repeat(12)).unwrap_err(),
            "the password must not be a single character repeated"
        );
        assert!(check_password_policy(&" ".repeat(40)).is_err());
        check_password_policy("aaaaaaaaaaab").unwrap();
        check_password_policy("correct horse battery").unwrap();
        check_password_policy(&"éa".repeat(6)).unwrap();
    }
}
