use domo_actors::{ActorError, actor_protocol};

// An alias of `Result` under any name: the macro cannot see through it, but the compiler can.
// Without a marker, plain `.await` would panic instead of returning `Err`: refused, on the type.
#[actor_protocol]
trait Accounts {
    async fn balance(&mut self) -> Res<u64>;
    // Marked: accepted either way.
    #[failure(err)]
    async fn deposit(&mut self, amount: u64) -> Res<u64>;
    #[failure(panic)]
    async fn withdraw(&mut self, amount: u64) -> Res<u64>;
    // Not a `Result`: nothing to mark.
    async fn owner(&mut self) -> Owner;
}

type Res<T> = Result<T, AccountError>;
type Owner = String;

#[derive(Debug)]
struct AccountError;

impl From<ActorError> for AccountError {
    fn from(_: ActorError) -> Self {
        AccountError
    }
}

fn main() {}
