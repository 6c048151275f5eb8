#include "auth/passwords.hpp"

#include "auth/fifo_slots.hpp"

#include <sodium.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bloglist {

namespace {
HashCost gCost;
std::string gDummyHash;  // burnVerification's target

// At most one hash per core at a time, admitted in arrival order. Each takes
// memLimit of memory and a core for tens of milliseconds: without a bound,
// 32 concurrent logins take 32 x 19 MiB and starve every other request of
// CPU; without the order, an unlucky login waits behind later ones.
std::unique_ptr<FifoSlots> gSlots;
}  // namespace

void initPasswords(HashCost cost) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  gCost = cost;
  gSlots = std::make_unique<FifoSlots>(std::max(1u, std::thread::hardware_concurrency()));
  gDummyHash = hashPassword(randomHex(16));
}

std::string hashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  SlotGuard slot(*gSlots);
  if (crypto_pwhash_str(out, password.data(), password.size(), gCost.opsLimit, gCost.memLimit) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool verifyPassword(const std::string& hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  SlotGuard slot(*gSlots);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void burnVerification(std::string_view password) {
  (void)verifyPassword(gDummyHash, password);
}

std::string randomHex(std::size_t n) {
  std::vector<unsigned char> bytes(n);
  randombytes_buf(bytes.data(), n);
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), n);
  hex.pop_back();
  return hex;
}

}  // namespace bloglist
