//! Start-up: the order in which a bank branch's actors come to life.

use domo_actors::{ActorError, Definition, Stage};

use super::bank::{BankActor, BankProxy};
use super::supervisors::{
    ACCOUNT_SUPERVISOR, BANK_SUPERVISOR, ResumingSupervisor, SupervisorProxy, TRANSFER_SUPERVISOR,
};
use super::teller::{TellerActor, TellerProxy};
use super::transfer_coordinator::RetryPolicy;

/// A running branch: the teller customers talk to, and the supervisors (to ask what they
/// handled).
pub struct Branch {
    /// The front desk.
    pub teller: TellerProxy,
    /// `bank-supervisor`, `account-supervisor`, `transfer-supervisor`, in that order.
    pub supervisors: Vec<SupervisorProxy>,
}

/// Starts a branch on `stage`:
///
/// 1. the three supervisors, first, so that they exist before anything they supervise runs;
/// 2. the Bank, supervised by `bank-supervisor` (its `before_start` creates the
///    TransferCoordinator, supervised by `transfer-supervisor`; each Account it opens is
///    supervised by `account-supervisor` and creates its TransactionHistory);
/// 3. the Teller, given the Bank's proxy, supervised by `bank-supervisor`.
pub fn open_branch(stage: &Stage, retry: RetryPolicy) -> Result<Branch, ActorError> {
    let supervisors = [BANK_SUPERVISOR, ACCOUNT_SUPERVISOR, TRANSFER_SUPERVISOR]
        .into_iter()
        .map(|name| stage.actor_for(ResumingSupervisor::definition(name)))
        .collect::<Result<Vec<SupervisorProxy>, ActorError>>()?;

    let bank: BankProxy = stage.actor_for(
        Definition::new(move || BankActor::new(retry)).with_supervisor(BANK_SUPERVISOR),
    )?;
    let teller: TellerProxy = stage.actor_for(
        Definition::new(move || TellerActor::new(bank.clone())).with_supervisor(BANK_SUPERVISOR),
    )?;
    Ok(Branch {
        teller,
        supervisors,
    })
}
