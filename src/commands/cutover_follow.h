// Follow: keep a PostgreSQL target in step with a PostgreSQL source between `migrate --follow`
// and `cutover`, with PostgreSQL's own logical replication (no change applier of our own).
//
//   migrate --follow: preflight (FollowPreflight), a publication of the tenant's tables on the
//     source, a logical slot created on a replication connection whose exported snapshot every
//     copy worker imports (so the copy and the stream meet exactly), the copy as usual, then a
//     subscription on the target on that slot (copy_data = false, create_slot = false).
//   cutover --freeze-source: freeze, wait until the slot's confirmed position passed the
//     source's WAL position taken after the freeze, drop the subscription, catch up (which
//     checksums every table and sets the sequences), switch, drop slot and publication.
//   cutover --undo, `cutover --cleanup-follow` and every failure path drop what exists.
//
// Names: publication, slot and subscription are all "tenantshift_<hash of the work directory>"
// (RunApplicationName's hash), so a rerun finds what an earlier, killed run left.
//
// The subscription's connection string is the source's without its password: PostgreSQL keeps
// it in pg_subscription on the target, readable by superusers, so tenantshift never puts a
// password there. The target server must reach the source by its own means: a passfile on the
// target's host (--follow-conninfo '... passfile=/path'), a certificate, or trust.
// Thread-safety: each call owns everything it creates.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connect/connector.h"
#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

struct FollowNames {
  std::string publication, slot, subscription;
};
// From the run's application_name ("tenantshift <hex>"): "tenantshift_<hex>" for all three.
FollowNames FollowNamesFor(const std::string& application_name);

// What the source and target must offer before `migrate --follow` changes anything. Returns
// every problem found, one sentence each; empty when follow can start. Tables without a replica
// identity are listed in `no_identity` (schema.table); they are a problem unless
// `set_identity_full` (migrate --replica-identity-full), when StartFollow gives them
// REPLICA IDENTITY FULL.
struct FollowPreflightResult {
  std::vector<std::string> problems;
  std::vector<std::string> no_identity;
};
Result<FollowPreflightResult> FollowPreflight(Session& source, Session& target,
                                              const std::vector<std::string>& schemas,
                                              bool set_identity_full);

// The subscription's connection string: `follow_conninfo` when given (refused if it holds a
// password), else the source's (`source_arg` as the user gave it, resolved as `spec`) without
// its password.
Result<std::string> SubscriptionConninfo(const std::string& source_arg, const ConnSpec& spec,
                                         const std::string& follow_conninfo);

// Checks that the target server can open `conninfo` (a disabled subscription without a slot is
// created and dropped again). Errors never contain a password (conninfo holds none).
Status ProbeSubscriptionConnection(Session& target, const FollowNames& names,
                                   const std::string& conninfo);

// A slot with its exported snapshot. `replication` must stay open and idle until every worker
// imported `snapshot`.
// Unless `keep` is set, destroying it drops the slot and the publication through `replication`
// (a replication=database connection also runs SQL), so a run that stops early leaves nothing.
struct FollowSlot {
  FollowSlot() = default;
  FollowSlot(FollowSlot&&) = default;
  FollowSlot& operator=(FollowSlot&&) = default;
  ~FollowSlot();
  std::unique_ptr<Session> replication;
  FollowNames names;
  std::string snapshot;
  std::string consistent_lsn;
  bool keep = false;
};
// Publication (REPLICA IDENTITY FULL first for `no_identity` when asked), then the slot.
Result<FollowSlot> StartFollow(Session& source, const Connector& connect, const ConnSpec& spec,
                               const FollowNames& names, const std::vector<std::string>& schemas,
                               const std::vector<std::string>& set_identity_full);

// The subscription on the target on the slot; returns once its worker streams.
Status Subscribe(Session& target, const FollowNames& names, const std::string& conninfo);

// Replication lag: WAL bytes the slot has not confirmed, and the subscriber's replay lag in
// seconds (0 when nothing is in flight; -1 when no WAL sender serves the subscription).
struct FollowLag {
  bool slot_exists = false, subscription_exists = false, publication_exists = false;
  int64_t bytes = -1;
  double seconds = -1;
};
Result<FollowLag> MeasureLag(Session* source, Session* target, const FollowNames& names);

// Waits (at most `timeout_seconds`) until the slot confirmed the source's WAL position as of
// now. Returns DeadlineExceeded-like kInternal naming the lag on timeout.
Status WaitCaughtUp(Session& source, const FollowNames& names, double timeout_seconds);

// Drops whatever exists of subscription (target), slot and publication (source); either
// session may be null (that side is left alone). Idempotent.
Status DropSubscription(Session& target, const FollowNames& names);
Status DropSlotAndPublication(Session& source, const FollowNames& names);

}  // namespace tenantshift
