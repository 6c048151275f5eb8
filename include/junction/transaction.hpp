// junction/transaction.hpp — RAII transactions over a pooled connection.
//
// The outermost Transaction leases a connection from the pool and BEGINs; a
// nested one (Transaction::nested, or Database::transaction inside a managed
// transaction) is a SAVEPOINT on the same connection. Destroying a
// Transaction that was neither committed nor rolled back rolls it back, so
// an exception never leaves a transaction open. The outermost Transaction
// returns its connection to the pool as soon as it has committed or rolled
// back; after that its connection() must not be used (it throws).
//
// Thread-safety: a Transaction and its connection belong to one thread at a
// time.
#pragma once

#include <memory>

#include "junction/connection.hpp"
#include "junction/pool.hpp"

namespace junction {

struct TransactionOptions {
  IsolationLevel isolationLevel = IsolationLevel::Default;
};

class Transaction {
 public:
  // Outermost: leases from `pool` and begins.
  Transaction(Pool& pool, TransactionOptions options = {});
  Transaction(Transaction&& o) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // A SAVEPOINT inside this transaction.
  Transaction nested();

  void commit();    // UsageError if already finished
  void rollback();  // UsageError if already finished
  bool finished() const noexcept { return finished_; }

  // The connection the transaction runs on. Once the outermost transaction
  // has ended (commit() or rollback(), even one that threw after ending it)
  // its connection is back in the pool and may already serve someone else:
  // connection() then throws UsageError, as it does on a moved-from
  // Transaction. A finished nested transaction still returns the connection
  // of the transaction enclosing it.
  Connection& connection() const;

 private:
  explicit Transaction(Connection& parent);  // savepoint
  Pool::Lease lease_;
  Connection* conn_ = nullptr;
  int depth_ = 0;  // connection depth this transaction opened
  bool finished_ = false;
};

}  // namespace junction
