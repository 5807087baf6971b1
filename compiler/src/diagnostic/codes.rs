//! Stable diagnostic codes and their long explanations (`mlc explain CODE`).
//!
//! Codes are grouped by stage: `E01xx` syntax, `E02xx` imports and names, `E03xx` types,
//! `E04xx` evaluation, `E05xx` Kubernetes lowering and MLflow validation, `E06xx` `mlc
//! import`, `W0xxx` warnings, `E09xx` the command line. A code never changes meaning once published.

/// A stable diagnostic code such as `E0101`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub &'static str);

impl Code {
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The long explanation of this code, if it has one (the checks of `crate::checks`
    /// keep theirs in their own table).
    pub fn explanation(self) -> Option<&'static str> {
        explain(self.0).or_else(|| crate::checks::table::by_code(self.0).map(|c| c.explanation))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = $text:literal; )*) => {
        $( $(#[$doc])* pub const $name: Code = Code(stringify!($name)); )*

        /// Every code with its explanation, in code order.
        pub const ALL: &[(Code, &str)] = &[ $( ($name, $text) ),* ];

        /// The long explanation of `code`, if it is a known code.
        pub fn explain(code: &str) -> Option<&'static str> {
            ALL.iter().find(|(c, _)| c.0 == code).map(|(_, text)| *text)
        }
    };
}

codes! {
    // ---- E01xx: syntax -------------------------------------------------------------------
    /// A token that does not fit where it stands.
    E0101 = "The parser found a token it did not expect at this place.\n\nExample:\n\n    { a = 1 }\n\nThe binding `a = 1` must end with `;`:\n\n    { a = 1; }\n";

    /// An unterminated string or comment.
    E0102 = "A string, indented string or block comment was opened but never closed, so the rest of the file was read as part of it.\n\nExample:\n\n    { name = \"mlflow; }\n\nClose the string: `{ name = \"mlflow\"; }`. Indented strings close with `''`, block comments with `*/`.\n";
    /// An integer literal that does not fit in 64 bits.
    E0103 = "Integers in mlc are 64-bit signed numbers, from -9223372036854775808 to 9223372036854775807. A literal outside that range cannot be represented.\n\nUse a smaller number, or a string if the value is an identifier rather than a quantity.\n";
    /// Nesting too deep to parse.
    E0104 = "The expression nests deeper than the parser allows (512 levels of brackets, operators or keyword forms). No real configuration needs that much nesting: split the expression with `let` bindings.\n";

    // ---- E02xx: imports and names --------------------------------------------------------
    /// An `import` of a file that cannot be read.
    E0210 = "An `import` names a file that does not exist or cannot be read.\n\nRelative paths are resolved against the directory of the importing file, not the current directory.\n\nExample, in `deploy/prod.mlc`:\n\n    import ./common.mlc\n\nlooks for `deploy/common.mlc`. Create the file, or fix the path:\n\n    import ../common.mlc\n";
    /// `<name>` names no module of the standard library.
    E0211 = "`<name>` refers to a module of the standard library embedded in mlc, and there is no module of that name.\n\nExample:\n\n    import <mlfow>\n\nThe module is called `mlflow`:\n\n    import <mlflow>\n\nSubmodules are written with a slash: `<mlflow/tls>`.\n";
    /// Files that import each other.
    E0212 = "Files import each other in a cycle, so none of them can be loaded first.\n\nExample:\n\n    # a.mlc\n    import ./b.mlc\n\n    # b.mlc\n    (import ./a.mlc) // { x = 1; }\n\nMove what the files share into a third file that imports neither of them, and import it from both.\n";
    /// A file given to mlc that cannot be read.
    E0213 = "mlc was asked to read a file that does not exist or cannot be read.\n\nCheck the path: relative paths on the command line are taken from the current directory.\n";

    // ---- E03xx: types --------------------------------------------------------------------

    // ---- E03xx: types ---------------------------------------------------------------------
    /// A record has a field its type does not declare.
    E0301 = "A record type lists the fields a value may have, and this value has one more: usually a misspelt option, or one put at the wrong level of nesting. Record types are closed unless they end with `...`.\n\nExample:\n\n    mlflow.deployment { name = \"mlflow\"; replicas = 2; }\n\nThe option is called `replicaCount`. The error lists the fields the type declares.\n";
    /// A record lacks a field its type requires.
    E0302 = "A field of a record type has no default and cannot be null, so every value of the type must set it.\n\nExample:\n\n    let f = (o :: { name :: String, port :: Int = 80 }): o; in f { port = 8080; }\n\nSet the field: `f { name = \"web\"; }`. A field can be made optional with a default (`name :: String = \"web\"`) or `?` (`name :: String?`, which defaults to null).\n";
    /// A value of one type where another is expected.
    E0303 = "A value is used where a value of another type is expected: a string where the annotation says `Int`, a list where a record is expected, a number added to a string.\n\nExample:\n\n    let port :: Int = \"5000\"; in port\n\nWrite a value of the expected type (`5000`), or convert it (`toString`, `builtins.fromJSON`).\n";
    /// A string that is not one of a literal union's values.
    E0304 = "The type allows only some strings, listed in the union (`\"ClusterIP\" | \"NodePort\" | \"LoadBalancer\"`), and this is not one of them. Case matters.\n\nExample:\n\n    service.type = \"clusterIP\";\n\nWrite one of the allowed values exactly: `\"ClusterIP\"`.\n";
    /// A value outside a refinement (range, pattern, named format).
    E0305 = "The type narrows a number to a range (`Int(1..65535)`) or a string to a pattern (`String(/^[a-z]+$/)`, or named formats like `K8sName`, `Cron`, `Duration`, `Quantity`), and this value is outside it. Literals are checked before evaluation; computed values when they reach the annotation.\n\nExample:\n\n    server.value_options.port = 70000;\n\nA port is between 1 and 65535.\n";
    /// Calling something that is not a function, or with too many arguments.
    E0306 = "A value that is not a function is applied to an argument: often a function given more arguments than it takes, or a missing operator between two values.\n\nExample:\n\n    let inc = (x :: Int): x + 1; in inc 1 2\n\n`inc 1` is already an `Int`. Remove the extra argument, or add parentheses or an operator.\n";
    /// A type name that is not declared.
    E0307 = "A type annotation names a type that is neither built in (`Int`, `String`, `Port`, `Quantity`, ...) nor declared with `type Name = ...;` in an enclosing `let` or set, nor exported by the module it is qualified with (`mlflow.Options`).\n\nExample:\n\n    let port :: Integer = 80; in port\n\nThe type is `Int`.\n";
    /// An invalid type declaration.
    E0308 = "A type declaration or annotation cannot be used: a type that refers to itself, a range on something other than `Int`, a pattern that is not a valid regular expression, an empty range, or a field default that uses a variable (defaults are constants, evaluated where only builtins are in scope).\n\nExample:\n\n    type Tree = { children :: [Tree] };\n\nRecursive types are not supported: use `Dyn` for the recursive part.\n";
    /// Selecting an attribute that a value certainly lacks.
    E0309 = "An attribute is selected from a value whose type shows it has no such attribute, or from a value that is not an attribute set at all.\n\nExample:\n\n    let storage = { size = \"10Gi\"; }; in storage.sise\n\nCheck the spelling, or give a default with `or`: `storage.sise or \"1Gi\"`.\n";

    // ---- E04xx: evaluation ---------------------------------------------------------------
    /// A value of the wrong type.
    E0401 = "An operator or builtin received a value of a type it cannot work with: a string where a number was expected, a list where an attribute set was expected, an integer interpolated into a string.\n\nExample:\n\n    \"port ${5000}\"\n\nStrings interpolate only strings and paths; convert first:\n\n    \"port ${toString 5000}\"\n";
    /// Infinite recursion.
    E0402 = "A value was needed to compute itself, so evaluation could never finish.\n\nExample:\n\n    let x = x + 1; in x\n\nIn a `rec` set or `let`, every name sees all the others: check that no binding refers, directly or through others, to itself.\n";
    /// Arithmetic failure.
    E0403 = "Integer arithmetic overflowed 64 bits, or a number was divided by zero. mlc reports overflow instead of wrapping around silently.\n\nExample:\n\n    9223372036854775807 + 1\n\nUse floats for very large values, and check divisors before dividing.\n";
    /// An assertion failed.
    E0404 = "`assert cond; body` evaluates `body` only when `cond` is true. The condition was false.\n\nExample:\n\n    let replicas = 0; in assert replicas > 0; { inherit replicas; }\n\nFix the value the assertion checks, or the assertion.\n";
    /// Calling something that is not a function.
    E0405 = "A value was applied to an argument, but it is not a function. Often a missing operator or a misplaced parenthesis: `f a b` applies `f` to two arguments.\n\nExample:\n\n    let port = 5000; in port 1\n\nWrite the operator you meant: `port + 1`.\n";
    /// A function's set pattern does not match its argument.
    E0406 = "A function declared with a set pattern `{ a, b ? 2 }:` was called with an attribute set that lacks a required attribute, or has one the pattern does not declare (and the pattern has no `...`).\n\nExample:\n\n    ({ name, port ? 5000 }: name) { nmae = \"mlflow\"; }\n\nPass the attributes the pattern declares, spelled as declared: `{ name = \"mlflow\"; }`. Add `...` to the pattern to accept others.\n";
    /// An undefined variable.
    E0407 = "A name is used that no `let`, `rec` set, function parameter or builtin defines.\n\nExample:\n\n    let replicas = 2; in replica\n\nCheck the spelling, or define the name. Builtins are available as `builtins.name`; a few (`map`, `toString`, `import`, ...) also without the prefix.\n";
    /// A missing attribute.
    E0408 = "An attribute was selected (`set.name`) from a set that does not have it.\n\nExample:\n\n    { storage = { size = \"10Gi\"; }; }.storage.sise\n\nCheck the spelling, or give a default: `set.name or \"fallback\"`.\n";
    /// Evaluation nests too deeply.
    E0409 = "Evaluation went more than 20,000 calls deep. That is almost always a function that calls itself without a base case.\n\nExample:\n\n    let f = n: f (n + 1); in f 0\n\nMake sure the recursion stops: `n: if n > 10 then n else f (n + 1)`.\n";
    /// Dynamic attribute names in `let`.
    E0410 = "`let` bindings must have names known before evaluation: `${expr} = value;` is allowed in attribute sets but not in `let`.\n\nBuild a set instead: `let s = { ${name} = 1; }; in s`.\n";
    /// An attribute defined twice.
    E0411 = "The same attribute is defined twice in one set. Nested keys may extend a set (`a.x = 1; a.y = 2;`), but the same name cannot get two values.\n\nExample:\n\n    { replicas = 1; replicas = 2; }\n\nRemove one of the definitions, or combine sets explicitly with `//`, where the right side wins.\n";
    /// An invalid argument to a builtin.
    E0412 = "A builtin got an argument of the right type but an invalid value: the head of an empty list, an index out of bounds, a negative length, mismatched list lengths, an unknown hash algorithm.\n\nExample:\n\n    builtins.elemAt [ 1 2 ] 5\n\nCheck the value before the call, e.g. with `builtins.length`.\n";
    /// Unparsable input to a builtin.
    E0413 = "A regular expression given to `match` or `split`, or a JSON text given to `fromJSON`, does not parse.\n\nExample:\n\n    builtins.match \"([a-z]+\" \"abc\"\n\nClose the group: `\"([a-z]+)\"`.\n";
    /// An error thrown by the configuration.
    E0414 = "`throw message` stops evaluation with the message: the configuration (often a standard library module checking your options) found something wrong, and the message says what.\n\nRead the message and fix the option it names. `builtins.tryEval` can catch a `throw`.\n";
    /// Evaluation aborted.
    E0415 = "`abort message` stops evaluation unconditionally; unlike `throw`, `builtins.tryEval` cannot catch it.\n";
    /// A value exceeded a resource budget.
    E0416 = "A list, a string or the evaluated result grew beyond mlc's resource limits (2 million list items, 64 MiB in one string, 2 million values in a result). Such sizes are far beyond any configuration and almost always come from a function that grows a value without end; mlc stops with this error instead of running out of memory.\n\nExample:\n\n    builtins.genList (x: x) 9223372036854775807\n\nCheck the length or the recursion that builds the value.\n";

    // ---- E05xx: Kubernetes lowering and MLflow validation --------------------------------
    /// A built file does not evaluate to Kubernetes objects.
    E0501 = "`mlc build` turns what a file evaluates to into Kubernetes manifests, so the value must be an object (an attribute set with `apiVersion`, `kind` and `metadata.name`), a list of objects (nested lists are flattened), or what `mlflow.deployment { ... }` returns.\n\nExample:\n\n    { kind = \"ConfigMap\"; metadata.name = \"settings\"; }\n\nis missing `apiVersion`:\n\n    { apiVersion = \"v1\"; kind = \"ConfigMap\"; metadata.name = \"settings\"; }\n";

    /// A field the Kubernetes schema does not have.
    E0502 = "Every object `mlc build` emits is checked against the schema of its kind, and this field is not in it: usually a misspelling, or a field put one level too high or too low. Kubernetes would reject the object, or worse, silently drop the field.\n\nExample:\n\n    { apiVersion = \"v1\"; kind = \"ServiceAccount\"; metadata.name = \"mlflow\"; automountServiceAcountToken = false; }\n\nThe field is `automountServiceAccountToken`.\n\nThe built-in kinds are checked against the Kubernetes API (1.33), and the custom resources the MLflow chart emits against their operators' CRDs: `ServiceMonitor` (monitoring.coreos.com/v1), `SecretStore` and `ExternalSecret` (external-secrets.io/v1), and `HTTPRoute` (gateway.networking.k8s.io/v1). Objects of other kinds are passed through unchecked.\n";
    /// A value the Kubernetes schema does not take.
    E0503 = "A field of a Kubernetes object has a value the schema of its kind does not take: a string where the schema wants a number, a list where it wants an attribute set, a word outside the fixed set a field allows, or a required field left out.\n\nExample:\n\n    { apiVersion = \"v1\"; kind = \"Service\"; metadata.name = \"mlflow\"; spec.ports = [ { port = \"http\"; } ]; }\n\nA Service port is a number: `port = 5000;` (the name goes in `name` or `targetPort`).\n\nExample:\n\n    { apiVersion = \"monitoring.coreos.com/v1\"; kind = \"ServiceMonitor\"; metadata.name = \"mlflow\"; spec = { selector = { }; endpoints = [ { port = \"http\"; scheme = \"Https\"; } ]; }; }\n\nA ServiceMonitor's scheme is `http` or `https`, in lower or upper case, not mixed.\n\nNames follow the API server's rules too: most kinds take a DNS subdomain (lowercase letters, digits, `-` and `.`, at most 253 characters), a Service a DNS label starting with a letter (at most 63), a CronJob at most 52 characters, a namespace a DNS label.\n\nExample:\n\n    { apiVersion = \"v1\"; kind = \"ConfigMap\"; metadata.name = \"MLflow_Server\"; }\n\nWrite `mlflow-server`.\n";

    // ---- W0xxx: warnings -----------------------------------------------------------------
    /// A warning raised by the configuration or a library.
    W0401 = "The configuration, often a standard library module checking your options, raised a warning with `builtins.warn`: the result is built, but something in it is likely not what you want (data lost on restart, a setting that has no effect, a credential written in plain text). The message says what.\n\n`--deny-warnings` turns warnings into errors, for CI.\n";

    /// A known kind in an apiVersion mlc has no schema for.
    W0501 = "mlc has a schema for this kind, but not in the apiVersion written, so the object is printed without being checked. Usually the apiVersion is misspelt, or is an old version the cluster no longer serves (`apps/v1beta2` Deployments were removed in Kubernetes 1.16; External Secrets `v1beta1` is deprecated).\n\nExample:\n\n    { apiVersion = \"monitoring.coreos.com/v1beta1\"; kind = \"ServiceMonitor\"; metadata.name = \"mlflow\"; spec = { }; }\n\nUse the version the message names: `monitoring.coreos.com/v1`.\n";

    // ---- E053x: waivers of checks (the checks themselves are in `crate::checks::table`) ----
    /// A waiver names no check.
    E0530 = "`waivers` maps the name of a check to the reason it is waived, and this name is not the name of any check (`mlc explain` lists them, each with its name).\n\nExample:\n\n    waivers = { sqlite-replica = \"single writer, see runbook\"; };\n\nThe check is called `sqlite-replicas`.\n";
    /// A waiver of a check that cannot be waived, or without a reason.
    E0531 = "A waiver must say why (its value is the reason, and may not be empty), and only checks mlc adds beyond the chart can be waived: the chart's own refusals (`backend-store-required`, `external-secrets-data`) cannot, since Helm itself renders nothing for those values.\n\nExample:\n\n    waivers = { sqlite-replicas = \"\"; };\n\nWrite the reason: `waivers = { sqlite-replicas = \"single writer, see runbook\"; };`.\n";
    /// A waiver that waives nothing.
    W0530 = "A waiver names a check that found nothing in this deployment, so it waives nothing: the reason for it has probably gone (the option was fixed), and a stale waiver would silently hide the check if the problem came back.\n\nExample:\n\n    waivers = { sqlite-replicas = \"single writer\"; };\n    replicaCount = 1;\n\nRemove the waiver.\n";

    // ---- E06xx: `mlc import` of a chart values file ------------------------------------
    /// A values file `mlc import` cannot read as YAML.
    E0601 = "`mlc import` reads a chart values file as Helm reads it (YAML 1.1, one document, merge keys), and this file is not such YAML: a syntax error (an unclosed `[` or quote, a tab in the indentation), a key given twice in one mapping, several documents separated by `---`, an alias that names no anchor, aliases that expand to more than a million values (an alias bomb), or values nested more than 200 levels deep. Helm refuses most of these too, or silently keeps only one of two equal keys.\n\nFor instance, a values file with\n\n    replicaCount: 1\n    replicaCount: 2\n\ngives the key twice: keep one line. The error is at the line and column of the values file where the problem was found.\n";
    /// A values key the MLflow chart does not have.
    E0602 = "Every key of the values file must be an option of the MLflow chart (the `Options` type of `stdlib/mlflow/options.mlc`, listed by `mlc doc`): Helm ignores a key its templates never read, so a misspelt option silently keeps its default. `mlc import` refuses it instead, with the closest option, and `--message-format json` carries the replacement as a fix. Free-form maps (`podAnnotations`, `nodeSelector`, ...) take any key. `name` and `namespace` are the release's, given as `mlc import --name NAME --namespace NAMESPACE`.\n\nFor instance, in\n\n    storage:\n      enabled: true\n      sise: 10Gi\n\nthe option is `storage.size`.\n";
    /// A values file that is not a mapping.
    E0603 = "A chart values file is a mapping of options at its top level (`replicaCount: 2`, `storage:` followed by indented keys); this one is a list, a string or a number. Often the file is another kind of YAML (a manifest list, a kustomization), or its first line is indented.\n\nWrite the options as `key: value` lines starting in the first column.\n";

    // ---- E09xx: command line --------------------------------------------------------------
    /// `mlc eval --json` of a value that has no JSON form.
    E0901 = "`--json` prints the value as JSON, and this value (or a part of it) has no JSON form: functions, infinite floats and NaN cannot be printed as JSON.\n\nExample:\n\n    mlc eval --json -E '{ f = x: x; r = 1.0e308 * 10.0; }'\n\nApply the function, or remove it from the value before printing; compute a finite number:\n\n    mlc eval --json -E '{ f = (x: x) 1; r = 1.0e308; }'\n";
    /// `--allow` or `--deny` of a name that is not a check.
    E0902 = "`--allow` and `--deny` take the name (`sqlite-replicas`) or the code (`E0513`) of a check; `mlc explain` lists every check with both.\n\nExample:\n\n    mlc build --allow sqlite-replica deploy.mlc\n\nThe check is called `sqlite-replicas`.\n";
}
