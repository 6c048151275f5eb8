// Password hashing with argon2id (libsodium's crypto_pwhash_str): the hash
// string carries its salt and parameters, so they can change without
// invalidating stored hashes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bloglist {

struct HashCost {
  // OWASP's minimum for argon2id: 2 passes over 19 MiB.
  unsigned long long opsLimit = 2;
  std::size_t memLimit = 19u * 1024 * 1024;
};

// Calls sodium_init(); throws std::runtime_error if libsodium cannot start.
// Hashing and verification then run at most one per core at a time.
void initPasswords(HashCost cost = {});

std::string hashPassword(std::string_view password);
// Constant-time check. An empty or malformed hash never matches.
bool verifyPassword(const std::string& hash, std::string_view password);
// Spends the time a verification takes: used for unknown usernames, so a
// login's timing does not reveal whether an account exists.
void burnVerification(std::string_view password);

// `n` random bytes as lowercase hex.
std::string randomHex(std::size_t n);

}  // namespace bloglist
