//! Supervision: who decides when an actor fails, each directive, strategies, escalation, and
//! their invariants under stress. One test binary with a module per concern (each binary costs
//! link time on two cores).

mod defaults;
mod escalate;
mod escalation_chain;
mod escalation_cycles;
mod execution_context;
mod function_supervisors;
mod hook_order;
mod hook_panics;
mod intensity;
mod resolution;
mod restart;
mod restart_invariants;
mod resume;
mod scope;
mod stop;
mod stress;
mod supervisor_awaits_supervised;
mod suspend;
