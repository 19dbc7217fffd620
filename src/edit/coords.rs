//! Coordinates as reports give them: decimal degrees or degrees-minutes-seconds, latitude
//! first unless hemisphere letters say otherwise.

/// Why a coordinate text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoordError {
    /// Not two coordinates.
    #[error("write a latitude and a longitude, e.g. 12°21'05\"S 73°57'10\"W or -12.3514, -73.9528")]
    Shape,
    /// Minutes or seconds of 60 or more.
    #[error("minutes and seconds must be below 60")]
    Sexagesimal,
    /// Both are latitudes or both longitudes.
    #[error("one coordinate must be a latitude (N/S) and the other a longitude (E/W)")]
    Hemispheres,
    /// Latitude beyond ±90 or longitude beyond ±180.
    #[error("latitude must be within ±90° and longitude within ±180°")]
    Range,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Axis {
    Lat,
    Lon,
}

#[derive(Debug, Default)]
struct Group {
    numbers: Vec<f64>,
    negative: bool,
    hemisphere: Option<(Axis, bool)>,
}

impl Group {
    fn value(&self) -> Result<f64, CoordError> {
        let (d, m, s) = match self.numbers.as_slice() {
            [d] => (*d, 0.0, 0.0),
            [d, m] => (*d, *m, 0.0),
            [d, m, s] => (*d, *m, *s),
            _ => return Err(CoordError::Shape),
        };
        if m >= 60.0 || s >= 60.0 || m < 0.0 || s < 0.0 {
            return Err(CoordError::Sexagesimal);
        }
        let magnitude = d.abs() + m / 60.0 + s / 3600.0;
        let negative = self.negative || d < 0.0 || self.hemisphere.is_some_and(|(_, neg)| neg);
        Ok(if negative { -magnitude } else { magnitude })
    }
}

/// Reads a position; returns `(longitude, latitude)` in degrees.
///
/// Accepts `12°21'05"S 73°57'10"W`, `12 21 05 S, 73 57 10 W`, `S12°21.08' W73°57.17'`,
/// `-12.3514, -73.9528` (latitude first, as reports write it) and `73.9528W 12.3514S`
/// (letters decide the order; `O` is the Spanish letter for west).
///
/// ```
/// let (lon, lat) = pistas::edit::parse_coordinates("12°21'05\"S 73°57'10\"W").unwrap();
/// assert!((lat + 12.35139).abs() < 1e-5 && (lon + 73.95278).abs() < 1e-5);
/// ```
pub fn parse_coordinates(text: &str) -> Result<(f64, f64), CoordError> {
    let mut reader = Reader::default();
    let chars: Vec<char> = text.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && next_is_digit(&chars, i)) {
            i = reader.number(&chars, i)?;
            continue;
        }
        match c {
            '°' | 'º' | '\'' | '′' | '’' | '"' | '″' | '”' => {
                reader.had_marks = true;
            }
            ',' | ';' | '/' => {
                reader.had_separator = true;
                reader.close();
            }
            c if c.is_whitespace() => {}
            c => reader.letter(c)?,
        }
        i += 1;
    }
    let groups = reader.finish()?;
    let [a, b] = groups.as_slice() else {
        return Err(CoordError::Shape);
    };
    let (va, vb) = (a.value()?, b.value()?);
    let axis_a = a.hemisphere.map(|h| h.0);
    let axis_b = b.hemisphere.map(|h| h.0);
    let (lat, lon) = match (axis_a, axis_b) {
        (Some(Axis::Lon), _) | (_, Some(Axis::Lat)) if axis_a != axis_b => (vb, va),
        (Some(x), Some(y)) if x == y => return Err(CoordError::Hemispheres),
        _ => (va, vb),
    };
    if lat.abs() > 90.0 || lon.abs() > 180.0 {
        return Err(CoordError::Range);
    }
    Ok((lon, lat))
}

/// The groups of numbers of a position text, as it is read from left to right.
#[derive(Debug, Default)]
struct Reader {
    groups: Vec<Group>,
    current: Group,
    /// A hemisphere letter before its numbers, for the next group.
    pending_letter: Option<(Axis, bool)>,
    had_marks: bool,
    had_separator: bool,
}

impl Reader {
    /// Ends the group being read, if it has numbers.
    fn close(&mut self) {
        if !self.current.numbers.is_empty() {
            self.groups.push(std::mem::take(&mut self.current));
        }
    }

    /// Reads the number that starts at `chars[i]` into its group; returns where it ends.
    fn number(&mut self, chars: &[char], mut i: usize) -> Result<usize, CoordError> {
        let c = chars[i];
        let start = i;
        i += 1;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let value: f64 = number.parse().map_err(|_| CoordError::Shape)?;
        // A signed number, or a degrees number after a complete group, starts a group.
        let current = &self.current;
        if !current.numbers.is_empty()
            && (c == '-' || c == '+' || current.numbers.len() == 3 || next_is_degree(chars, i))
        {
            self.close();
        }
        if self.current.numbers.is_empty() {
            self.current.hemisphere = self.pending_letter.take();
            self.current.negative = value < 0.0 || number.starts_with('-');
        }
        self.current.numbers.push(value);
        Ok(i)
    }

    /// Reads a hemisphere letter: it ends the group it follows, or waits for the next one.
    fn letter(&mut self, c: char) -> Result<(), CoordError> {
        let letter = match c.to_ascii_uppercase() {
            'N' => (Axis::Lat, false),
            'S' => (Axis::Lat, true),
            'E' => (Axis::Lon, false),
            'W' | 'O' => (Axis::Lon, true),
            _ => return Err(CoordError::Shape),
        };
        if !self.current.numbers.is_empty() && self.current.hemisphere.is_none() {
            self.current.hemisphere = Some(letter);
            self.close();
        } else {
            self.close();
            self.pending_letter = Some(letter);
        }
        Ok(())
    }

    /// The groups read. Plain numbers separated by spaces only are split evenly in two.
    fn finish(mut self) -> Result<Vec<Group>, CoordError> {
        self.close();
        if self.pending_letter.is_some() {
            return Err(CoordError::Shape);
        }
        let mut groups = self.groups;
        if groups.len() == 1 && !self.had_marks && !self.had_separator {
            let numbers = std::mem::take(&mut groups[0].numbers);
            if numbers.len().is_multiple_of(2) && numbers.len() <= 6 {
                let half = numbers.len() / 2;
                groups = vec![
                    Group {
                        negative: numbers[0] < 0.0,
                        numbers: numbers[..half].to_vec(),
                        ..Group::default()
                    },
                    Group {
                        negative: numbers[half] < 0.0,
                        numbers: numbers[half..].to_vec(),
                        ..Group::default()
                    },
                ];
            } else {
                return Err(CoordError::Shape);
            }
        }
        Ok(groups)
    }
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars
        .get(i + 1)
        .is_some_and(|c| c.is_ascii_digit() || *c == '.')
}

fn next_is_degree(chars: &[char], i: usize) -> bool {
    chars[i..]
        .iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| matches!(c, '°' | 'º'))
}

/// Which way a single coordinate points, from its hemisphere letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hemisphere {
    /// N or S: a latitude.
    Latitude,
    /// E, W or O (Spanish and Portuguese for west): a longitude.
    Longitude,
}

/// Reads one coordinate as a spreadsheet cell holds it: `-12.3514`, `12°21'05"S`,
/// `12 21 05.3 S`, `S 12°21.08'`, `73º57'10"O`. Returns degrees (negative south and west)
/// and the hemisphere its letter names, if any.
pub fn parse_angle(text: &str) -> Result<(f64, Option<Hemisphere>), CoordError> {
    let text = text.trim();
    let mut letter: Option<(Hemisphere, bool)> = None;
    let mut numbers: Vec<f64> = Vec::new();
    let mut negative = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            numbers.push(number.parse().map_err(|_| CoordError::Shape)?);
            continue;
        }
        match c {
            '-' if numbers.is_empty() && !negative => negative = true,
            '+' if numbers.is_empty() => {}
            '°' | 'º' | '\'' | '′' | '’' | '"' | '″' | '”' | ':' => {}
            c if c.is_whitespace() => {}
            c => {
                let found = match c.to_ascii_uppercase() {
                    'N' => (Hemisphere::Latitude, false),
                    'S' => (Hemisphere::Latitude, true),
                    'E' => (Hemisphere::Longitude, false),
                    'W' | 'O' => (Hemisphere::Longitude, true),
                    _ => return Err(CoordError::Shape),
                };
                // One letter, before the numbers or after them.
                let at_end = chars[i + 1..].iter().all(|c| c.is_whitespace());
                if letter.is_some() || (!numbers.is_empty() && !at_end) {
                    return Err(CoordError::Shape);
                }
                letter = Some(found);
            }
        }
        i += 1;
    }
    let group = Group {
        numbers,
        negative,
        hemisphere: letter.map(|(h, neg)| {
            let axis = match h {
                Hemisphere::Latitude => Axis::Lat,
                Hemisphere::Longitude => Axis::Lon,
            };
            (axis, neg)
        }),
    };
    let value = group.value()?;
    let limit = match letter {
        Some((Hemisphere::Latitude, _)) => 90.0,
        _ => 180.0,
    };
    if value.abs() > limit {
        return Err(CoordError::Range);
    }
    Ok((value, letter.map(|(h, _)| h)))
}

/// Writes a position as degrees, minutes and seconds with hemisphere letters, latitude first:
/// `12°21'05.0"S 73°57'10.0"W`.
pub fn format_dms(lon: f64, lat: f64) -> String {
    fn part(value: f64, positive: char, negative: char) -> String {
        let letter = if value < 0.0 { negative } else { positive };
        let tenths = (value.abs() * 36000.0).round() as u64;
        let (d, rest) = (tenths / 36000, tenths % 36000);
        let (m, s) = (rest / 600, rest % 600);
        format!("{d}°{m:02}'{:02}.{}\"{letter}", s / 10, s % 10)
    }
    format!("{} {}", part(lat, 'N', 'S'), part(lon, 'E', 'W'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(text: &str, lon: f64, lat: f64) {
        let (x, y) = parse_coordinates(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(
            (x - lon).abs() < 1e-4 && (y - lat).abs() < 1e-4,
            "{text}: got {x}, {y}"
        );
    }

    #[test]
    fn reads_what_reports_write() {
        let (lon, lat) = (-73.952_778, -12.351_389);
        close("12°21'05\"S 73°57'10\"W", lon, lat);
        close("12° 21' 05\" S, 73° 57' 10\" W", lon, lat);
        close("12°21′05″S 73°57′10″W", lon, lat);
        close("S 12°21'05\" W 73°57'10\"", lon, lat);
        close("12 21 05 S 73 57 10 W", lon, lat);
        close("73°57'10\"W 12°21'05\"S", lon, lat);
        close("12°21'05\"S 73°57'10\"O", lon, lat);
        close("-12.351389, -73.952778", lon, lat);
        close("-12.351389 -73.952778", lon, lat);
        close("12.351389S 73.952778W", lon, lat);
        close("12°21.0833'S 73°57.1667'W", lon, lat);
        close("-12°21'05\", -73°57'10\"", lon, lat);
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(parse_coordinates("12.5"), Err(CoordError::Shape));
        assert_eq!(parse_coordinates("Sept 2014"), Err(CoordError::Shape));
        assert_eq!(
            parse_coordinates("12°61'00\"S 73°00'00\"W"),
            Err(CoordError::Sexagesimal)
        );
        assert_eq!(parse_coordinates("12S 13N"), Err(CoordError::Hemispheres));
        assert_eq!(parse_coordinates("95, 10"), Err(CoordError::Range));
        assert_eq!(parse_coordinates(""), Err(CoordError::Shape));
    }

    #[test]
    fn single_coordinates_read_as_cells_hold_them() {
        let read = |t: &str| parse_angle(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert!((read("12°21'05\"S").0 + 12.351_389).abs() < 1e-6);
        assert_eq!(read("12°21'05\"S").1, Some(Hemisphere::Latitude));
        assert!((read("73º57'10\"O").0 + 73.952_778).abs() < 1e-6);
        assert!((read("S 12°21.5'").0 + 12.358_333).abs() < 1e-6);
        assert!((read("12 21 05 S").0 + 12.351_389).abs() < 1e-6);
        assert!((read("-12.3514").0 + 12.3514).abs() < 1e-9);
        assert_eq!(read("-12.3514").1, None);
        for bad in ["", "12°61'S", "abc", "N12 S", "95 N", "12 N 5"] {
            assert!(parse_angle(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dms_round_trips() {
        let text = format_dms(-73.952_778, -12.351_389);
        assert_eq!(text, "12°21'05.0\"S 73°57'10.0\"W");
        close(&text, -73.952_778, -12.351_389);
    }
}
