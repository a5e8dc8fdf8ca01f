//! The path generated code uses to reach the runtime.
//!
//! Every runtime item is named through `<root>::__private::...`, where `<root>` is `::domo_actors`
//! or the `crate = path` override. Std items are always named through `::core` / `::std`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

/// Resolves runtime paths for generated code.
#[derive(Clone)]
pub struct Paths {
    private: TokenStream,
}

impl Paths {
    /// Paths under `krate`, or under `::domo_actors` when no override is given.
    pub fn new(krate: Option<&Path>) -> Self {
        let root = match krate {
            Some(path) => quote!(#path),
            None => quote!(::domo_actors),
        };
        Paths {
            private: quote!(#root::__private),
        }
    }

    /// `<root>::__private::<item>`.
    pub fn private(&self, item: &str) -> TokenStream {
        let private = &self.private;
        let item = syn::Ident::new(item, proc_macro2::Span::call_site());
        quote!(#private::#item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_override() {
        let default = Paths::new(None).private("Reply");
        assert_eq!(
            default.to_string(),
            quote!(::domo_actors::__private::Reply).to_string()
        );
        let path: Path = syn::parse_quote!(::re::domo);
        let custom = Paths::new(Some(&path)).private("Reply");
        assert_eq!(
            custom.to_string(),
            quote!(::re::domo::__private::Reply).to_string()
        );
    }
}
