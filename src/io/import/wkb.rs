//! A walk over WKB before it is decoded: every count it gives must fit in the bytes that
//! follow, so a damaged blob (a line "of four billion points" in twenty bytes) is refused
//! instead of asking for gigabytes.

/// Bytes of the GeoPackage header before the WKB, from its flags; `None` when the blob is
/// too short or not a GeoPackage geometry.
pub fn gpkg_header_len(blob: &[u8]) -> Option<usize> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return None;
    }
    let envelope = match (blob[3] >> 1) & 0x07 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    let len = 8 + envelope;
    (blob.len() >= len).then_some(len)
}

/// True when the WKB's structure fits in its bytes (a depth of nested collections up to
/// 32).
pub fn plausible(wkb: &[u8]) -> bool {
    let mut at = 0;
    geometry(wkb, &mut at, 0) && at <= wkb.len()
}

fn read_u32(wkb: &[u8], at: &mut usize, little: bool) -> Option<u32> {
    let bytes: [u8; 4] = wkb.get(*at..*at + 4)?.try_into().ok()?;
    *at += 4;
    Some(if little {
        u32::from_le_bytes(bytes)
    } else {
        u32::from_be_bytes(bytes)
    })
}

fn geometry(wkb: &[u8], at: &mut usize, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let Some(&order) = wkb.get(*at) else {
        return false;
    };
    *at += 1;
    let little = match order {
        0 => false,
        1 => true,
        _ => return false,
    };
    let Some(code) = read_u32(wkb, at, little) else {
        return false;
    };
    // ISO codes (1000s Z, 2000s M, 3000s ZM) and EWKB flags (Z, M, SRID).
    let ewkb_z = code & 0x8000_0000 != 0;
    let ewkb_m = code & 0x4000_0000 != 0;
    if code & 0x2000_0000 != 0 && read_u32(wkb, at, little).is_none() {
        return false;
    }
    let plain = code & 0x0FFF_FFFF;
    let (kind, iso) = (plain % 1000, plain / 1000);
    let dims = 2
        + usize::from(ewkb_z || iso == 1 || iso == 3)
        + usize::from(ewkb_m || iso == 2 || iso == 3);
    let point = 8 * dims;
    let count = |at: &mut usize, each: usize| -> Option<usize> {
        let n = read_u32(wkb, at, little)? as usize;
        (n.checked_mul(each)? <= wkb.len().saturating_sub(*at)).then_some(n)
    };
    match kind {
        1 => {
            *at += point;
            *at <= wkb.len()
        }
        2 => match count(at, point) {
            Some(n) => {
                *at += n * point;
                true
            }
            None => false,
        },
        3 => {
            let Some(rings) = count(at, 4) else {
                return false;
            };
            for _ in 0..rings {
                match count(at, point) {
                    Some(n) => *at += n * point,
                    None => return false,
                }
            }
            true
        }
        4..=7 => {
            // Each part is a whole geometry of at least 5 bytes.
            let Some(parts) = count(at, 5) else {
                return false;
            };
            (0..parts).all(|_| geometry(wkb, at, depth + 1))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_must_fit_their_bytes() {
        // A point, and a line of two points.
        let mut point = vec![1, 1, 0, 0, 0];
        point.extend(1.0f64.to_le_bytes());
        point.extend(2.0f64.to_le_bytes());
        assert!(plausible(&point));
        let mut line = vec![1, 2, 0, 0, 0, 2, 0, 0, 0];
        for v in [0.0f64, 1.0, 2.0, 3.0] {
            line.extend(v.to_le_bytes());
        }
        assert!(plausible(&line));
        // The same line claiming four billion points.
        let mut lying = line.clone();
        lying[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(!plausible(&lying));
        // A collection claiming more parts than bytes.
        let collection = vec![1, 7, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f];
        assert!(!plausible(&collection));
        assert!(!plausible(&[]));
        assert!(!plausible(&point[..10]));
    }
}
