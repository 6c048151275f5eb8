#include "junction/transaction.hpp"

#include "junction/errors.hpp"

namespace junction {

Transaction::Transaction(Pool& pool, TransactionOptions options) : lease_(pool.acquire()) {
  conn_ = lease_.get();
  // If begin() throws, lease_ returns the connection to the pool.
  conn_->begin(options.isolationLevel);
  depth_ = conn_->transactionDepth();
}

Transaction::Transaction(Connection& parent) : conn_(&parent) {
  parent.begin();
  depth_ = parent.transactionDepth();
}

Transaction::Transaction(Transaction&& o) noexcept
    : lease_(std::move(o.lease_)), conn_(o.conn_), depth_(o.depth_), finished_(o.finished_) {
  o.conn_ = nullptr;
  o.finished_ = true;
}

Transaction::~Transaction() {
  if (!finished_ && conn_ != nullptr) {
    try {
      // Unwinds nested levels left open above this one, then this one.
      while (conn_->transactionDepth() >= depth_) conn_->rollback();
    } catch (...) {
      // Never throws: the pool rolls back again or discards the connection.
    }
  }
  // lease_ (outermost only) returns the connection to the pool.
}

Connection& Transaction::connection() const {
  if (conn_ == nullptr)
    throw UsageError(
        "Transaction::connection() on an ended outermost transaction: its connection went back "
        "to the pool at commit() or rollback()");
  return *conn_;
}

Transaction Transaction::nested() {
  if (finished_ || conn_ == nullptr)
    throw UsageError("Transaction::nested() on a finished transaction");
  return Transaction(*conn_);
}

namespace {

void checkInnermost(const Connection& c, int depth, const char* op) {
  if (c.transactionDepth() > depth)
    throw UsageError(std::string("Transaction::") + op +
                     "() while a nested transaction is still open");
  if (c.transactionDepth() < depth)
    throw UsageError(std::string("Transaction::") + op +
                     "(): the transaction was already ended on its connection");
}

// Marks a transaction finished. An outermost one hands its connection back
// now, so a later acquire() in the same scope cannot wait on the connection a
// finished transaction still holds; connection() is then no longer valid.
void markFinished(bool& finished, Pool::Lease& lease, Connection*& conn) {
  finished = true;
  if (lease) {
    lease.release();
    conn = nullptr;
  }
}

}  // namespace

void Transaction::commit() {
  if (finished_ || conn_ == nullptr)
    throw UsageError("Transaction::commit() on a finished transaction");
  checkInnermost(*conn_, depth_, "commit");
  try {
    conn_->commit();
  } catch (...) {
    // A failed outermost COMMIT rolls back (connection.hpp); a failed
    // RELEASE leaves the savepoint for rollback() or the destructor.
    if (conn_->transactionDepth() < depth_) {
      markFinished(finished_, lease_, conn_);
    }
    throw;
  }
  markFinished(finished_, lease_, conn_);
}

void Transaction::rollback() {
  if (finished_ || conn_ == nullptr)
    throw UsageError("Transaction::rollback() on a finished transaction");
  checkInnermost(*conn_, depth_, "rollback");
  try {
    conn_->rollback();
  } catch (...) {
    if (conn_->transactionDepth() < depth_) {
      markFinished(finished_, lease_, conn_);
    }
    throw;
  }
  markFinished(finished_, lease_, conn_);
}

}  // namespace junction
