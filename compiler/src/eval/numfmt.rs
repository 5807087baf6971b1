//! Number formatting exactly as Nix 2.x prints floats: `%g` (six significant digits) in
//! output and JSON, `%f` (six decimals) in `toString`.

/// C's `%f`: six digits after the point.
pub fn fixed(value: f64) -> String {
    format!("{value:.6}")
}

/// C's `%g` with precision 6: the shorter of fixed and exponent notation, trailing zeros
/// removed (`100`, `0.333333`, `1e+20`, `1.23457e+08`, `1e-07`).
pub fn general(value: f64) -> String {
    if value.is_nan() {
        return if value.is_sign_negative() {
            "-nan"
        } else {
            "nan"
        }
        .to_string();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    const PRECISION: i32 = 6;
    // The exponent after rounding to PRECISION significant digits.
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..PRECISION).contains(&exponent) {
        let decimals = (PRECISION - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{value:.decimals$}"))
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exponent.abs())
    }
}

fn trim_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_matches_nix() {
        let cases = [
            (1.5, "1.5"),
            (0.1 + 0.2, "0.3"),
            (100.0, "100"),
            (1.0 / 3.0, "0.333333"),
            (1.0e-7, "1e-07"),
            (1.0e20, "1e+20"),
            (123456789.0, "1.23457e+08"),
            (-2.5, "-2.5"),
            (999999.5, "1e+06"),
            (0.0001, "0.0001"),
        ];
        for (value, expected) in cases {
            assert_eq!(general(value), expected, "{value}");
        }
    }

    #[test]
    fn fixed_matches_nix() {
        assert_eq!(fixed(1.5), "1.500000");
        assert_eq!(fixed(1.0e-7), "0.000000");
    }
}
