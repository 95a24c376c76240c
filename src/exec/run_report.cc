#include "exec/run_report.h"

#include <algorithm>

namespace tenantshift {
namespace {

StepResult FromRecord(const StepRecord& r) {
  StepResult out;
  out.attempts = r.attempts;
  out.seconds = r.seconds;
  out.rows = r.rows;
  out.bytes = r.bytes;
  out.source_rows = r.source_rows;
  out.target_rows = r.target_rows;
  out.source_checksum = r.source_checksum;
  out.target_checksum = r.target_checksum;
  out.started_at = r.started_at;
  out.finished_at = r.finished_at;
  return out;
}

void FillTableReport(const Step& step, StepState state, const StepResult& r, TableReport* t) {
  if (step.kind == StepKind::kCopyData) {
    t->rows = r.rows;
    t->bytes = r.bytes;
    t->seconds = r.seconds;
    t->attempts = r.attempts;
    t->stage_seconds = r.stage_seconds;
    t->load_seconds = r.load_seconds;
    t->staged_files = r.staged_files;
  } else {
    // No checksum: PostgreSQL <-> Redshift compares row counts only (dialect/dialect_pair.h).
    if (state == StepState::kSucceeded) {
      t->validation = r.source_checksum.empty() ? "counted" : "match";
    }
    if (state == StepState::kFailed) {
      t->validation = r.status.code() == Status::Code::kMismatch ? "mismatch" : "error";
    }
    t->source_rows = r.source_rows;
    t->target_rows = r.target_rows;
    t->source_checksum = r.source_checksum;
    t->target_checksum = r.target_checksum;
  }
  if (!t->error.empty()) return;  // the first problem of a table is the one reported
  if (state == StepState::kBlocked) {
    t->error = step.description + " did not run: a step it depends on failed";
    t->cause = "blocked";
  } else if (state == StepState::kFailed) {
    t->error = r.status.message();
    t->cause = !r.status.sqlstate().empty()                 ? r.status.sqlstate()
               : r.status.code() == Status::Code::kMismatch ? "mismatch"
                                                            : "error";
  } else if (state == StepState::kWaiting || state == StepState::kReady) {
    t->error = step.description + " did not run: the run stopped first";
    t->cause = "not run";
  }
}

// A failed step that `id` waits for, directly or not; -1 when none (it was blocked by a step
// that the run itself did not record as failed).
int FailedDependency(const Plan& plan, const RunResults& run, int id, std::vector<bool>* seen) {
  for (int d : plan.step(id).deps) {
    if ((*seen)[d]) continue;
    (*seen)[d] = true;
    if (run.states[d] == StepState::kFailed) return d;
    if (run.states[d] != StepState::kBlocked) continue;
    if (int f = FailedDependency(plan, run, d, seen); f >= 0) return f;
  }
  return -1;
}

const char* KindName(StepKind k) {
  return k == StepKind::kCopyData ? "copy" : k == StepKind::kValidate ? "validate" : "sql";
}

}  // namespace

RunResults MergeWithLedger(const Plan& plan, std::vector<StepResult> results,
                           const std::map<std::string, StepRecord>& ledger) {
  RunResults run;
  run.results = std::move(results);
  run.results.resize(plan.steps().size());
  for (const Step& s : plan.steps()) {
    StepState state = s.state;
    auto it = ledger.find(s.key);
    if (state == StepState::kSkipped && s.skip_reason == kDoneEarlier && it != ledger.end()) {
      run.results[s.id] = FromRecord(it->second);
      state = StepState::kSucceeded;
    }
    run.states.push_back(state);
    run.earlier.push_back(state == StepState::kSucceeded && s.state == StepState::kSkipped);
  }
  return run;
}

std::vector<TimelineEntry> Timeline(const Plan& plan, const RunResults& run) {
  std::vector<TimelineEntry> out;
  for (const Step& s : plan.steps()) {
    const StepResult& r = run.results[s.id];
    StepState state = run.states[s.id];
    if (r.started_at <= 0 || (state != StepState::kSucceeded && state != StepState::kFailed)) {
      continue;  // it did not run (blocked, skipped, not reached) or its times are unknown
    }
    TimelineEntry e;
    e.phase = s.phase;
    e.step = s.description;
    e.kind = KindName(s.kind);
    if (s.kind != StepKind::kTargetSql) e.schema = s.table.schema, e.table = s.table.name;
    e.worker = r.worker;
    e.started_at = r.started_at;
    e.finished_at = std::max(r.finished_at, r.started_at);
    e.attempts = r.attempts;
    e.retried_at = r.retried_at;
    e.state = state == StepState::kSucceeded ? "succeeded" : "failed";
    e.earlier_run = run.earlier[s.id];
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    return a.started_at < b.started_at;
  });
  return out;
}

std::vector<TableReport> TableReports(const Plan& plan, const RunResults& run) {
  std::map<QualifiedName, TableReport> by_table;
  for (const Step& step : plan.steps()) {
    if (step.kind == StepKind::kTargetSql) continue;
    TableReport& t = by_table[step.table];
    t.schema = step.table.schema;
    t.table = step.table.name;
    FillTableReport(step, run.states[step.id], run.results[step.id], &t);
  }
  std::vector<TableReport> out;
  for (auto& [name, t] : by_table) {
    t.succeeded = t.error.empty();
    out.push_back(std::move(t));
  }
  return out;
}

LogEvent StepLogEvent(const Step& step, const StepResult* result, StepState state) {
  LogEvent e;
  e.event = "step_started";
  e.step = step.description;
  e.phase = step.phase;
  if (step.kind != StepKind::kTargetSql) e.schema = step.table.schema, e.table = step.table.name;
  e.figures = {{"kind", KindName(step.kind)}};
  if (result == nullptr) return e;
  const bool failed = state == StepState::kFailed;
  e.event = failed ? "step_failed" : "step_finished";
  e.level = failed ? "error" : "info";
  e.figures = {{"kind", KindName(step.kind)},
               {"seconds", result->seconds},
               {"attempts", result->attempts},
               {"worker", result->worker}};
  if (step.kind == StepKind::kCopyData) {
    e.figures["rows"] = result->rows;
    e.figures["bytes"] = result->bytes;
  }
  if (step.kind == StepKind::kValidate) {
    e.figures["source_rows"] = result->source_rows;
    e.figures["target_rows"] = result->target_rows;
  }
  if (failed) {
    e.error = result->status.message();
    e.sqlstate = result->status.sqlstate();
  }
  return e;
}

std::map<std::string, int64_t> CountObjects(const Catalog& c) {
  auto n = [](size_t size) { return static_cast<int64_t>(size); };
  std::map<std::string, int64_t> counts{{"schemas", n(c.schemas.size())},
                                        {"types", n(c.types.size())},
                                        {"sequences", n(c.sequences.size())},
                                        {"tables", n(c.tables.size())},
                                        {"constraints", 0},
                                        {"indexes", 0},
                                        {"functions", 0},
                                        {"procedures", 0},
                                        {"aggregates", 0},
                                        {"views", 0},
                                        {"materialized_views", 0},
                                        {"triggers", n(c.triggers.size())},
                                        {"rules", n(c.rules.size())},
                                        {"extensions", n(c.extensions.size())}};
  for (const Table& t : c.tables) {
    counts["constraints"] += n(t.constraints.size());
    counts["indexes"] += n(t.indexes.size());
  }
  for (const Routine& r : c.routines) {
    ++counts[r.kind == Routine::Kind::kProcedure   ? "procedures"
             : r.kind == Routine::Kind::kAggregate ? "aggregates"
                                                   : "functions"];
  }
  for (const View& v : c.views) {
    ++counts[v.materialized ? "materialized_views" : "views"];
    counts["indexes"] += n(v.indexes.size());
  }
  return counts;
}

std::vector<StepReport> StepReports(const Plan& plan, const RunResults& run) {
  std::vector<StepReport> out;
  for (const Step& s : plan.steps()) {
    StepState state = run.states[s.id];
    if (s.kind != StepKind::kTargetSql) continue;
    if (state != StepState::kFailed && state != StepState::kBlocked) continue;
    StepReport r{s.phase, s.description, state == StepState::kBlocked, "", "blocked"};
    if (!r.blocked) {
      const Status& st = run.results[s.id].status;
      r.error = st.message();
      r.cause = st.sqlstate().empty() ? "error" : st.sqlstate();
    } else {
      std::vector<bool> seen(plan.steps().size(), false);
      int f = FailedDependency(plan, run, s.id, &seen);
      r.error = f < 0 ? "did not run: a step it depends on failed"
                      : "did not run: " + plan.step(f).description + " failed";
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> StepFailures(const Plan& plan, const RunResults& run) {
  std::vector<std::string> out;
  for (const Step& s : plan.steps()) {
    if (s.kind == StepKind::kTargetSql && run.states[s.id] == StepState::kFailed) {
      out.push_back(run.results[s.id].status.ToString());
    }
  }
  return out;
}

}  // namespace tenantshift
