//! The name rules of the Kubernetes API server, checked on every object built so that a
//! name the cluster would reject (`Bad_Name!`, a 70-character Service) is an error at the
//! `.mlc` value, not at `kubectl apply` time. The rules are apimachinery's: most kinds
//! take a DNS-1123 subdomain, Services a DNS-1035 label, Namespaces a DNS-1123 label, RBAC
//! objects a path segment; a namespace is a DNS-1123 label.

/// Which rule a kind's `metadata.name` follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Lowercase letters, digits, `-` and `.`, starting and ending alphanumeric, at most
    /// `max` characters (253, or less where a controller derives names from it).
    Subdomain { max: usize },
    /// Lowercase letters, digits and `-`, starting and ending alphanumeric, at most 63.
    Label,
    /// Like a label, but starting with a letter (Services: their names become DNS names).
    Dns1035Label,
    /// Anything but `.` and `..`, without `/` or `%` (RBAC roles and bindings).
    PathSegment,
}

fn rule(kind: &str) -> Rule {
    match kind {
        "Service" => Rule::Dns1035Label,
        "Namespace" => Rule::Label,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => Rule::PathSegment,
        // The CronJob controller appends an 11-character suffix to name its Jobs.
        "CronJob" => Rule::Subdomain { max: 52 },
        _ => Rule::Subdomain { max: 253 },
    }
}

/// What is wrong with `name` as the `metadata.name` of a `kind`, if anything.
pub fn check_name(kind: &str, name: &str) -> Option<String> {
    let problem = match rule(kind) {
        Rule::Subdomain { max } => subdomain(name, max),
        Rule::Label => label(name, false),
        Rule::Dns1035Label => label(name, true),
        Rule::PathSegment => path_segment(name),
    }?;
    Some(format!(
        "`{name}` is not a valid name for {}: {problem}",
        with_article(kind)
    ))
}

/// `a ConfigMap`, `an ExternalSecret`, `an Ingress`: a kind with the article English puts
/// before its first sound (by its first letter, which is right for every Kubernetes kind).
fn with_article(kind: &str) -> String {
    let vowel = kind
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {kind}", if vowel { "an" } else { "a" })
}

/// What is wrong with `namespace` as a `metadata.namespace`, if anything.
pub fn check_namespace(namespace: &str) -> Option<String> {
    let problem = label(namespace, false)?;
    Some(format!("`{namespace}` is not a valid namespace: {problem}"))
}

fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn subdomain(name: &str, max: usize) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if name.len() > max {
        return Some(format!(
            "it has {} characters, at most {max} are allowed",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|&c| !is_alphanumeric(c) && c != '-' && c != '.')
    {
        return Some(format!(
            "{} is not allowed (only lowercase letters, digits, `-` and `.`)",
            describe(bad)
        ));
    }
    for part in name.split('.') {
        if !part.starts_with(is_alphanumeric) || !part.ends_with(is_alphanumeric) {
            return Some(
                "each `.`-separated part must start and end with a lowercase letter or digit"
                    .to_string(),
            );
        }
    }
    None
}

fn label(name: &str, letter_first: bool) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if name.len() > 63 {
        return Some(format!(
            "it has {} characters, at most 63 are allowed",
            name.len()
        ));
    }
    if let Some(bad) = name.chars().find(|&c| !is_alphanumeric(c) && c != '-') {
        return Some(format!(
            "{} is not allowed (only lowercase letters, digits and `-`)",
            describe(bad)
        ));
    }
    if letter_first && !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("it must start with a lowercase letter".to_string());
    }
    if !name.starts_with(is_alphanumeric) || !name.ends_with(is_alphanumeric) {
        return Some("it must start and end with a lowercase letter or digit".to_string());
    }
    None
}

fn path_segment(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".to_string());
    }
    if name == "." || name == ".." {
        return Some(format!("`{name}` is not allowed"));
    }
    name.chars()
        .find(|&c| c == '/' || c == '%')
        .map(|bad| format!("{} is not allowed", describe(bad)))
}

fn describe(c: char) -> String {
    if c.is_ascii_uppercase() {
        format!("the uppercase letter `{c}`")
    } else if c == ' ' {
        "a space".to_string()
    } else {
        format!("`{}`", c.escape_debug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_kinds_take_a_dns_subdomain() {
        assert_eq!(check_name("ConfigMap", "mlflow.settings-1"), None);
        let long = "a".repeat(253);
        assert_eq!(check_name("Deployment", &long), None);
        assert!(check_name("Deployment", &format!("{long}a")).is_some());
        let message = check_name("Deployment", "Bad_Name!").unwrap_or_default();
        assert!(message.contains("uppercase letter `B`"), "{message}");
        assert!(check_name("Secret", "-x").is_some());
        assert!(check_name("Secret", "a..b").is_some());
        assert!(check_name("Secret", "").is_some());
        assert!(check_name("MyCustomThing", "x_y").is_some());
    }

    #[test]
    fn the_kind_takes_the_article_of_its_first_sound() {
        let message = check_name("ExternalSecret", "Bad").unwrap_or_default();
        assert!(message.contains("for an ExternalSecret:"), "{message}");
        let message = check_name("ConfigMap", "Bad").unwrap_or_default();
        assert!(message.contains("for a ConfigMap:"), "{message}");
    }

    #[test]
    fn services_take_a_dns_1035_label() {
        assert_eq!(check_name("Service", "mlflow-tracking"), None);
        let message = check_name("Service", &"a".repeat(70)).unwrap_or_default();
        assert!(message.contains("70 characters, at most 63"), "{message}");
        assert!(check_name("Service", "1mlflow").is_some());
        assert!(check_name("Service", "mlflow.svc").is_some());
    }

    #[test]
    fn cron_jobs_leave_room_for_the_job_suffix() {
        assert_eq!(check_name("CronJob", &"a".repeat(52)), None);
        assert!(check_name("CronJob", &"a".repeat(53)).is_some());
    }

    #[test]
    fn rbac_names_are_path_segments() {
        assert_eq!(check_name("ClusterRole", "system:mlflow"), None);
        assert!(check_name("Role", "a/b").is_some());
        assert!(check_name("RoleBinding", "..").is_some());
    }

    #[test]
    fn namespaces_are_labels() {
        assert_eq!(check_namespace("mlflow"), None);
        assert_eq!(check_name("Namespace", "mlflow"), None);
        assert!(check_namespace("ml.flow").is_some());
        assert!(check_namespace("MLflow").is_some());
    }
}
