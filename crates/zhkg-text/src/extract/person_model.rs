//! A statistical recogniser of Chinese person names "from the characters
//! themselves": no role word (记者, 村民, 主任) is needed, though the
//! characters around a name count as evidence.
//!
//! Like HanLP 1.x's name recogniser it reads roles off single characters,
//! with statistics from a tagged corpus (the January 1998 People's Daily
//! corpus of Peking University, names tagged `nr`; see
//! `scripts/gen_name_model.py`, which writes `lexicon/data/name_model.tsv`). It is
//! built to be cheap: only positions whose character is a known surname
//! (张, 王, 欧阳 …) are examined, and each candidate span (surname + one or
//! two given-name characters) costs a handful of table look-ups.
//!
//! A candidate's score is a logistic-regression log-odds over:
//! * the surname's log-odds of starting a name where it occurs (王 high,
//!   高 low);
//! * per given-name character, its log-likelihood ratio (true name vs. false
//!   candidate) in its slot: a single given name, the first or the second of
//!   two (丽, 华 high; 的, 化, 速 low);
//! * the character and the character pair before and after the span (者 or
//!   民 before, 说 after: high; 市 after: low);
//! * the other reading of the span's end (张伟|和 vs 张伟和);
//! * with word-segmenter tokens: whether the span starts or ends inside a
//!   token (提|高效|率: low), is one token, has its surname as a token or at
//!   the start of a longer word (毕业|生: low), or its given name as a token;
//!   with token kinds ([`NameModel::propose_tagged`]) also whether those
//!   tokens are dictionary words, dictionary names or new words.
//!
//! The three variants (no tokens, bounds, bounds and kinds) have their own
//! weights and thresholds, fitted on the corpus with jieba's tokens. Cost:
//! a table look-up per character, a few dozen per candidate (~7 ns per
//! character in all variants, release build).
//!
//! Candidates whose score reaches the model's threshold are kept, the best
//! first, and overlapping ones dropped.

use std::ops::Range;

use rustc_hash::FxHashMap;

/// A proposed person name.
#[derive(Debug, Clone, PartialEq)]
pub struct NameCandidate {
    /// Character offsets of the name in the input.
    pub range: Range<usize>,
    /// Log-odds of being a name (0.0 is even odds); at least the model's
    /// threshold for the variant used (see [`NameModel::threshold`]).
    pub score: f32,
}

/// The statistics of the characters of one table entry. Slots missing from
/// the model file hold the slot's default.
#[derive(Debug, Clone, Copy)]
struct CharEntry {
    /// Surname log-odds, or `None` when the character is no surname.
    sur: Option<f32>,
    /// Whether the character starts a compound surname (欧 of 欧阳).
    compound_first: bool,
    g0: f32,
    g1: f32,
    g2: f32,
    /// Log-odds that an occurrence of the character is in a given name.
    rate: f32,
    lc: f32,
    rc: f32,
}

/// The weights of one variant of the score (with or without tokens).
#[derive(Debug, Clone, Copy, Default)]
struct Weights {
    /// Intercepts: surname 1 + given 1, 1 + 2, 2 + 1, 2 + 2.
    bias: [f32; 4],
    sur: f32,
    g0: f32,
    g1: f32,
    g2: f32,
    r0: f32,
    r1: f32,
    r2: f32,
    lc: f32,
    lb: f32,
    rc: f32,
    rb: f32,
    /// Surname + 1: the next character's `g2` ratio (the longer reading).
    alt2: f32,
    /// Surname + 2: the last character's `rc` ratio (the shorter reading).
    alt3: f32,
    /// Span starts inside a token.
    xl: f32,
    /// Span ends inside a token.
    xr: f32,
    /// Span is exactly one token (bounds only).
    tok: f32,
    /// Span is exactly one token of a kind (with kinds): [`TokenKind`] order.
    tok_kind: [f32; 3],
    /// The surname is a token by itself (and the span is not one token).
    surtok: f32,
    /// The token at the surname is longer than it and not the span (包含|云).
    surlong: f32,
    /// The same, that token being a [`TokenKind::Word`] (with kinds).
    surw: f32,
    /// The given name is exactly one token (bounds only).
    giv: f32,
    /// The given name is exactly one token of a kind (with kinds).
    giv_kind: [f32; 3],
    threshold: f32,
}

/// Slot order of the defaults.
const SLOTS: [&str; 8] = ["g0", "g1", "g2", "lc", "lb", "rc", "rb", "r"];

const CJK_START: u32 = 0x4E00;
const CJK_END: u32 = 0x9FFF;

/// What a word segmenter's token is, for [`NameModel::propose_tagged`]. With
/// jieba-rs: a word with a dictionary tag is [`Word`](Self::Word), or
/// [`Name`](Self::Name) when that tag starts with `nr`; anything else (a
/// word the HMM made, punctuation, numbers) is [`Other`](Self::Other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A dictionary word not tagged as a person name (毕业生, 王国).
    Word = 0,
    /// A dictionary word tagged as a person name (`nr`).
    Name = 1,
    /// Any other token (new words, punctuation, numbers).
    Other = 2,
}

/// A name recogniser's statistics, parsed from the text of
/// `lexicon/data/name_model.tsv` (see [`NameModel::parse`]).
#[derive(Debug, Clone)]
pub struct NameModel {
    /// For each character of the CJK Unified Ideographs block, its index in
    /// `entries` (0: none).
    cjk: Vec<u16>,
    /// The same for every other character.
    other: FxHashMap<char, u16>,
    /// Index 0 holds the defaults.
    entries: Vec<CharEntry>,
    compounds: FxHashMap<u64, f32>,
    left_pairs: FxHashMap<u64, f32>,
    right_pairs: FxHashMap<u64, f32>,
    /// Defaults of the pair slots (lb, rb).
    lb_default: f32,
    rb_default: f32,
    with_kinds: Weights,
    with_tokens: Weights,
    without_tokens: Weights,
}

fn pair_key(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// Han characters (the blocks that names are written in).
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2FFFF | 0xF900..=0xFAFF)
}

/// A context character as the model keys it: full-width forms folded to
/// ASCII (as zhkg's normaliser does), digits `0`, ASCII letters `a`, spaces
/// `^`.
fn ctx_class(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii_digit() {
        '0'
    } else if c.is_ascii_alphabetic() {
        'a'
    } else if c.is_ascii_whitespace() {
        '^'
    } else {
        c
    }
}

/// Tokens sorted by start, with or without kinds.
#[derive(Clone, Copy)]
enum Tokens<'a> {
    Bounds(&'a [(usize, usize)]),
    Tagged(&'a [(usize, usize, TokenKind)]),
}

impl Tokens<'_> {
    fn len(&self) -> usize {
        match self {
            Tokens::Bounds(t) => t.len(),
            Tokens::Tagged(t) => t.len(),
        }
    }

    #[inline]
    fn get(&self, k: usize) -> (usize, usize, Option<TokenKind>) {
        match self {
            Tokens::Bounds(t) => (t[k].0, t[k].1, None),
            Tokens::Tagged(t) => (t[k].0, t[k].1, Some(t[k].2)),
        }
    }

    /// Moves `k` to the first token that ends after `p` (`p` never
    /// decreasing between calls).
    #[inline]
    fn advance(&self, k: &mut usize, p: usize) {
        while *k < self.len() && self.get(*k).1 <= p {
            *k += 1;
        }
    }

    /// The first token that ends after `p`, by binary search.
    fn first_ending_after(&self, p: usize) -> usize {
        match self {
            Tokens::Bounds(t) => t.partition_point(|t| t.1 <= p),
            Tokens::Tagged(t) => t.partition_point(|t| t.1 <= p),
        }
    }
}

/// The token facts about one span `s..e`, from the tokens that overlap it
/// (from index `from`: the first token ending after `s`).
#[derive(Clone, Copy)]
struct Around<'t, 'a> {
    tokens: &'t Tokens<'a>,
    from: usize,
    e: usize,
}

impl Around<'_, '_> {
    #[inline]
    fn near(&self) -> impl Iterator<Item = (usize, usize, Option<TokenKind>)> + '_ {
        (self.from..self.tokens.len())
            .map(|k| self.tokens.get(k))
            .take_while(|t| t.0 <= self.e)
    }

    /// Whether a token starts before `p` and ends after it.
    fn inside(&self, p: usize) -> bool {
        self.near().any(|t| t.0 < p && p < t.1)
    }

    /// The token starting at `p`: its end and kind.
    fn starting_at(&self, p: usize) -> Option<(usize, Option<TokenKind>)> {
        self.near().find(|t| t.0 == p).map(|t| (t.1, t.2))
    }

    /// Whether `a..b` is one token: no token crosses or starts within it.
    fn whole(&self, a: usize, b: usize) -> bool {
        !self.inside(a) && !self.inside(b) && !self.near().any(|t| a < t.0 && t.0 < b)
    }
}

impl NameModel {
    /// Parses the model file's text: `#` comments, then tab-separated rows
    /// (`W` weights, `D` slot defaults, `S`/`C` surnames, and slot rows
    /// `g0 g1 g2 lc lb rc rb`; the file's header describes them). An error
    /// names the line (1-based) and what is wrong with it.
    pub fn parse(text: &str) -> Result<NameModel, String> {
        let mut model = NameModel {
            cjk: vec![0; (CJK_END - CJK_START + 1) as usize],
            other: FxHashMap::default(),
            entries: Vec::new(),
            compounds: FxHashMap::default(),
            left_pairs: FxHashMap::default(),
            right_pairs: FxHashMap::default(),
            lb_default: 0.0,
            rb_default: 0.0,
            with_kinds: Weights::default(),
            with_tokens: Weights::default(),
            without_tokens: Weights::default(),
        };
        let mut defaults = [f32::NAN; 8];
        let mut seen_weights = [0usize; 3];
        // Character rows are collected first: the defaults may come later.
        let mut char_rows: Vec<(usize, char, &str, f32)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let n = n + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let err = |what: &str| format!("name model line {n}: {what}: {line:?}");
            let num = |s: &str| s.parse::<f32>().map_err(|_| err("not a number"));
            match fields[..] {
                ["W", set, feature, value] => {
                    let v = num(value)?;
                    let (w, k) = match set {
                        "tag" => (&mut model.with_kinds, 0),
                        "tok" => (&mut model.with_tokens, 1),
                        "notok" => (&mut model.without_tokens, 2),
                        _ => return Err(err("unknown weight set")),
                    };
                    seen_weights[k] += 1;
                    let slot = match feature {
                        "bias2" => &mut w.bias[0],
                        "bias3" => &mut w.bias[1],
                        "bias2c" => &mut w.bias[2],
                        "bias3c" => &mut w.bias[3],
                        "sur" => &mut w.sur,
                        "g0" => &mut w.g0,
                        "g1" => &mut w.g1,
                        "g2" => &mut w.g2,
                        "r0" => &mut w.r0,
                        "r1" => &mut w.r1,
                        "r2" => &mut w.r2,
                        "lc" => &mut w.lc,
                        "lb" => &mut w.lb,
                        "rc" => &mut w.rc,
                        "rb" => &mut w.rb,
                        "alt2" => &mut w.alt2,
                        "alt3" => &mut w.alt3,
                        "xl" => &mut w.xl,
                        "xr" => &mut w.xr,
                        "tok" => &mut w.tok,
                        "tokw" => &mut w.tok_kind[0],
                        "tokn" => &mut w.tok_kind[1],
                        "toko" => &mut w.tok_kind[2],
                        "surtok" => &mut w.surtok,
                        "surlong" => &mut w.surlong,
                        "surw" => &mut w.surw,
                        "giv" => &mut w.giv,
                        "givw" => &mut w.giv_kind[0],
                        "givn" => &mut w.giv_kind[1],
                        "givo" => &mut w.giv_kind[2],
                        "threshold" => &mut w.threshold,
                        _ => return Err(err("unknown feature")),
                    };
                    *slot = v;
                }
                ["D", slot, value] => {
                    let k = SLOTS
                        .iter()
                        .position(|s| *s == slot)
                        .ok_or_else(|| err("unknown slot"))?;
                    defaults[k] = num(value)?;
                }
                ["C", key, value] => {
                    let mut cs = key.chars();
                    let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) else {
                        return Err(err("a compound surname has two characters"));
                    };
                    model.compounds.insert(pair_key(a, b), num(value)?);
                    char_rows.push((n, a, "C", 0.0));
                }
                [slot @ ("lb" | "rb"), key, value] => {
                    let mut cs = key.chars();
                    let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) else {
                        return Err(err("a pair key has two characters"));
                    };
                    let map = if slot == "lb" {
                        &mut model.left_pairs
                    } else {
                        &mut model.right_pairs
                    };
                    map.insert(pair_key(a, b), num(value)?);
                }
                [
                    slot @ ("S" | "g0" | "g1" | "g2" | "r" | "lc" | "rc"),
                    key,
                    value,
                ] => {
                    let mut cs = key.chars();
                    let (Some(c), None) = (cs.next(), cs.next()) else {
                        return Err(err("a character key has one character"));
                    };
                    char_rows.push((n, c, slot, num(value)?));
                }
                _ => return Err(err("unknown row")),
            }
        }
        if let Some(k) = defaults.iter().position(|d| d.is_nan()) {
            return Err(format!(
                "name model: no default (D row) for slot {}",
                SLOTS[k]
            ));
        }
        if seen_weights.contains(&0) {
            return Err("name model: a weight set (W tag / W tok / W notok) is missing".to_owned());
        }
        model.lb_default = defaults[4];
        model.rb_default = defaults[6];
        let default_entry = CharEntry {
            sur: None,
            compound_first: false,
            g0: defaults[0],
            g1: defaults[1],
            g2: defaults[2],
            rate: defaults[7],
            lc: defaults[3],
            rc: defaults[5],
        };
        model.entries.push(default_entry);
        for (n, c, slot, v) in char_rows {
            let idx = match model.index(c) {
                0 => {
                    let idx = u16::try_from(model.entries.len())
                        .map_err(|_| format!("name model line {n}: too many characters"))?;
                    model.entries.push(default_entry);
                    if (CJK_START..=CJK_END).contains(&(c as u32)) {
                        model.cjk[(c as u32 - CJK_START) as usize] = idx;
                    } else {
                        model.other.insert(c, idx);
                    }
                    idx
                }
                idx => idx,
            };
            let e = &mut model.entries[usize::from(idx)];
            match slot {
                "S" => e.sur = Some(v),
                "C" => e.compound_first = true,
                "g0" => e.g0 = v,
                "g1" => e.g1 = v,
                "g2" => e.g2 = v,
                "r" => e.rate = v,
                "lc" => e.lc = v,
                _ => e.rc = v,
            }
        }
        Ok(model)
    }

    /// The index of `c` in `entries` (0: none).
    #[inline]
    fn index(&self, c: char) -> u16 {
        let u = c as u32;
        if (CJK_START..=CJK_END).contains(&u) {
            self.cjk[(u - CJK_START) as usize]
        } else if self.other.is_empty() {
            0
        } else {
            self.other.get(&c).copied().unwrap_or(0)
        }
    }

    #[inline]
    fn entry(&self, c: char) -> &CharEntry {
        &self.entries[usize::from(self.index(c))]
    }

    /// The acceptance threshold of the score, with or without token bounds.
    pub fn threshold(&self, with_tokens: bool) -> f32 {
        if with_tokens {
            self.with_tokens.threshold
        } else {
            self.without_tokens.threshold
        }
    }

    /// Person names found in a sentence's characters (or a whole text's):
    /// non-overlapping, in text order, each scoring at least
    /// [`threshold`](Self::threshold).
    ///
    /// `token_bounds`: the word segmenter's tokens as `(start, end)`
    /// character offsets, sorted, as jieba gives them (covering the text);
    /// a name that starts or ends inside a token is penalised (提|高效|率),
    /// one cut oddly inside (张|丽华) is not.
    pub fn propose(
        &self,
        chars: &[char],
        token_bounds: Option<&[(usize, usize)]>,
    ) -> Vec<NameCandidate> {
        match token_bounds {
            Some(b) => self.run(chars, &self.with_tokens, Some(Tokens::Bounds(b))),
            None => self.run(chars, &self.without_tokens, None),
        }
    }

    /// As [`propose`](Self::propose), with each token's [`TokenKind`]: a
    /// span that is one dictionary word (毕业生) is then held less likely,
    /// one new word (an unknown name jieba's HMM joined) more likely. The
    /// most accurate variant; its threshold is
    /// [`threshold_tagged`](Self::threshold_tagged).
    pub fn propose_tagged(
        &self,
        chars: &[char],
        tokens: &[(usize, usize, TokenKind)],
    ) -> Vec<NameCandidate> {
        self.run(chars, &self.with_kinds, Some(Tokens::Tagged(tokens)))
    }

    /// True when `c` can be a one-character surname (or start a compound
    /// one) in the model's statistics.
    pub fn is_surname_start(&self, c: char) -> bool {
        let e = self.entry(c);
        e.sur.is_some() || e.compound_first
    }

    /// The acceptance threshold of [`propose_tagged`](Self::propose_tagged).
    pub fn threshold_tagged(&self) -> f32 {
        self.with_kinds.threshold
    }

    fn run(
        &self,
        chars: &[char],
        weights: &Weights,
        tokens: Option<Tokens<'_>>,
    ) -> Vec<NameCandidate> {
        let mut found: Vec<NameCandidate> = Vec::new();
        let n = chars.len();
        let mut cursor = 0;
        for i in 0..n {
            let c = chars[i];
            let u = c as u32;
            if !(CJK_START..=CJK_END).contains(&u) {
                continue;
            }
            let idx = self.cjk[(u - CJK_START) as usize];
            if idx == 0 {
                continue;
            }
            let e = &self.entries[usize::from(idx)];
            let from = match &tokens {
                Some(t) if e.sur.is_some() || e.compound_first => {
                    t.advance(&mut cursor, i);
                    cursor
                }
                _ => 0,
            };
            if let Some(sur) = e.sur {
                let t = tokens.as_ref().map(|t| (t, from));
                self.push_spans(chars, i, 1, sur, weights, t, &mut found);
            }
            if e.compound_first
                && i + 1 < n
                && let Some(&sur) = self.compounds.get(&pair_key(c, chars[i + 1]))
            {
                let t = tokens.as_ref().map(|t| (t, from));
                self.push_spans(chars, i, 2, sur, weights, t, &mut found);
            }
        }
        select(found)
    }

    /// The score of `chars[start..end]` as a name (surname of 1 or 2
    /// characters, then 1 or 2 given-name characters), or `None` when it has
    /// no such shape: for checking a name found by other means (a role cue)
    /// against [`threshold`](Self::threshold). When the span reads both
    /// ways (a 3-character span with a compound or a single surname), the
    /// better score counts.
    pub fn score(
        &self,
        chars: &[char],
        start: usize,
        end: usize,
        token_bounds: Option<&[(usize, usize)]>,
    ) -> Option<f32> {
        if start >= end || end > chars.len() || !(2..=4).contains(&(end - start)) {
            return None;
        }
        let weights = if token_bounds.is_some() {
            &self.with_tokens
        } else {
            &self.without_tokens
        };
        let tokens = token_bounds.map(Tokens::Bounds);
        let tokens = tokens.as_ref().map(|t| (t, t.first_ending_after(start)));
        let mut best: Option<f32> = None;
        let mut consider = |s: Option<f32>| {
            if let Some(s) = s {
                best = Some(best.map_or(s, |b| b.max(s)));
            }
        };
        if let Some(sur) = self.entry(chars[start]).sur
            && end - start <= 3
        {
            consider(self.span_score(chars, start, 1, end - start - 1, sur, weights, tokens));
        }
        if end - start >= 3
            && let Some(&sur) = self
                .compounds
                .get(&pair_key(chars[start], chars[start + 1]))
        {
            consider(self.span_score(chars, start, 2, end - start - 2, sur, weights, tokens));
        }
        best
    }

    /// Pushes the spans surname + 1 and surname + 2 at `i` that reach the
    /// threshold.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn push_spans(
        &self,
        chars: &[char],
        i: usize,
        sur_len: usize,
        sur: f32,
        w: &Weights,
        tokens: Option<(&Tokens<'_>, usize)>,
        found: &mut Vec<NameCandidate>,
    ) {
        for given in 1..=2 {
            if let Some(score) = self.span_score(chars, i, sur_len, given, sur, w, tokens)
                && score >= w.threshold
            {
                found.push(NameCandidate {
                    range: i..i + sur_len + given,
                    score,
                });
            }
        }
    }

    /// The log-odds of `chars[s..s + sur_len + given]` being a name, or
    /// `None` when a given-name character is not Han.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn span_score(
        &self,
        chars: &[char],
        s: usize,
        sur_len: usize,
        given: usize,
        sur: f32,
        w: &Weights,
        tokens: Option<(&Tokens<'_>, usize)>,
    ) -> Option<f32> {
        let e = s + sur_len + given;
        if e > chars.len() || !chars[s + sur_len..e].iter().all(|&c| is_han(c)) {
            return None;
        }
        let mut z = w.bias[(given - 1) + 2 * (sur_len - 1)] + w.sur * sur;
        let g = s + sur_len;
        if given == 1 {
            let a = self.entry(chars[g]);
            z += w.g0 * a.g0 + w.r0 * a.rate;
            if e < chars.len() && is_han(chars[e]) {
                z += w.alt2 * self.entry(chars[e]).g2;
            }
        } else {
            let (a, b) = (self.entry(chars[g]), self.entry(chars[g + 1]));
            z += w.g1 * a.g1 + w.r1 * a.rate + w.g2 * b.g2 + w.r2 * b.rate + w.alt3 * b.rc;
        }
        let lc = if s >= 1 { ctx_class(chars[s - 1]) } else { '^' };
        let lp = if s >= 2 { ctx_class(chars[s - 2]) } else { '^' };
        let rc = if e < chars.len() {
            ctx_class(chars[e])
        } else {
            '$'
        };
        let rn = if e + 1 < chars.len() {
            ctx_class(chars[e + 1])
        } else {
            '$'
        };
        z += w.lc * self.entry(lc).lc + w.rc * self.entry(rc).rc;
        z += w.lb
            * self
                .left_pairs
                .get(&pair_key(lp, lc))
                .copied()
                .unwrap_or(self.lb_default);
        z += w.rb
            * self
                .right_pairs
                .get(&pair_key(rc, rn))
                .copied()
                .unwrap_or(self.rb_default);
        if let Some((tokens, from)) = tokens {
            let t = Around { tokens, from, e };
            if t.inside(s) {
                z += w.xl;
            }
            if t.inside(e) {
                z += w.xr;
            }
            let at_sur = t.starting_at(s);
            if t.whole(s, e) {
                z += match at_sur {
                    Some((_, Some(k))) => w.tok_kind[k as usize],
                    _ => w.tok,
                };
            } else {
                if t.whole(s, g) {
                    z += w.surtok;
                }
                if let Some((end, kind)) = at_sur
                    && end > g
                {
                    z += w.surlong;
                    if kind == Some(TokenKind::Word) {
                        z += w.surw;
                    }
                }
                if let Some((end, kind)) = t.starting_at(g)
                    && end == e
                {
                    z += match kind {
                        Some(k) => w.giv_kind[k as usize],
                        None => w.giv,
                    };
                }
            }
        }
        Some(z)
    }
}

/// The best candidates first, dropping those that overlap a better one;
/// then in text order.
fn select(mut found: Vec<NameCandidate>) -> Vec<NameCandidate> {
    if found.len() <= 1 {
        return found;
    }
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.range.start.cmp(&b.range.start))
    });
    let mut kept: Vec<NameCandidate> = Vec::with_capacity(found.len());
    for c in found {
        if kept
            .iter()
            .all(|k| c.range.end <= k.range.start || c.range.start >= k.range.end)
        {
            kept.push(c);
        }
    }
    kept.sort_by_key(|c| c.range.start);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static MODEL: LazyLock<NameModel> = LazyLock::new(|| {
        NameModel::parse(include_str!("../lexicon/data/name_model.tsv")).expect("model parses")
    });

    fn names(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        MODEL
            .propose(&chars, None)
            .iter()
            .map(|c| chars[c.range.clone()].iter().collect())
            .collect()
    }

    /// Tokens from a `|`-separated text.
    fn names_tok(cut: &str) -> Vec<String> {
        let mut chars = Vec::new();
        let mut bounds = Vec::new();
        for w in cut.split('|') {
            let start = chars.len();
            chars.extend(w.chars());
            bounds.push((start, chars.len()));
        }
        MODEL
            .propose(&chars, Some(&bounds))
            .iter()
            .map(|c| chars[c.range.clone()].iter().collect())
            .collect()
    }

    #[test]
    fn real_model_parses() {
        let m = &*MODEL;
        assert!(m.entry('王').sur.is_some());
        assert!(m.entry('的').sur.is_none());
        assert!(m.compounds.contains_key(&pair_key('欧', '阳')));
        assert!(m.threshold(true).is_finite() && m.threshold(false).is_finite());
        // A given name's character is likelier in a name than a function word.
        assert!(m.entry('华').g2 > m.entry('的').g2);
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err = NameModel::parse("# x\nS\t王\tabc\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        let err = NameModel::parse("Q\tx\n").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        let err = NameModel::parse("S\t王\t1.0\n").unwrap_err();
        assert!(err.contains("default"), "{err}");
    }

    #[test]
    fn names_in_invented_sentences() {
        let cases: &[(&str, &[&str])] = &[
            ("村民张丽华笑着说，今年的收成不错。", &["张丽华"]),
            ("主播王小明在直播间里介绍家乡的特产。", &["王小明"]),
            (
                "这家公司的负责人赵德军表示，订单已经排到明年。",
                &["赵德军"],
            ),
            ("记者刘洋从县里获悉，新的物流中心下月启用。", &["刘洋"]),
            (
                "据欧阳明辉介绍，合作社今年新增了两条生产线。",
                &["欧阳明辉"],
            ),
            ("孙海燕和陈建国一起去了镇上。", &["孙海燕", "陈建国"]),
            ("张伟和王芳都来了。", &["张伟", "王芳"]),
            ("文化站站长周丽说，活动很受欢迎。", &["周丽"]),
            ("老师周文静告诉我们，孩子们很喜欢这门课。", &["周文静"]),
        ];
        for (text, want) in cases {
            assert_eq!(names(text), *want, "{text}");
        }
    }

    #[test]
    fn no_names_in_ordinary_words() {
        for text in [
            "提高效率",
            "这个王国很小",
            "经济高速发展",
            "提供金融服务",
            "抓好安全生产",
            "石家庄市",
            "张家口市",
            "传统文化",
            "黄金周期间",
            "我们要进一步提高效率，推动高速发展。",
            "金融服务和安全生产都很重要。",
            "石家庄市和张家口市的文化活动很丰富。",
        ] {
            assert_eq!(names(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn tokens_penalise_a_name_cut_from_a_word() {
        // 高 inside 提高: the span 高效率 starts inside a token.
        assert_eq!(names_tok("我们|要|提高|效率"), Vec::<String>::new());
        // A name cut oddly by the segmenter is still found.
        assert_eq!(names_tok("村民|张|丽华|笑着|说"), ["张丽华"]);
        assert_eq!(names_tok("村民|张丽华|笑着|说"), ["张丽华"]);
    }

    #[test]
    fn token_kinds_tell_words_from_new_names() {
        use TokenKind::{Other, Word};
        let run = |toks: &[(&str, TokenKind)]| -> Vec<String> {
            let mut chars = Vec::new();
            let mut tagged = Vec::new();
            for (w, k) in toks {
                let start = chars.len();
                chars.extend(w.chars());
                tagged.push((start, chars.len(), *k));
            }
            MODEL
                .propose_tagged(&chars, &tagged)
                .iter()
                .map(|c| chars[c.range.clone()].iter().collect())
                .collect()
        };
        // A name the HMM joined, then one the segmenter split.
        assert_eq!(
            run(&[
                ("村民", Word),
                ("张丽华", Other),
                ("笑着", Word),
                ("说", Word)
            ]),
            ["张丽华"]
        );
        assert_eq!(
            run(&[
                ("主播", Word),
                ("王", Word),
                ("小明", Word),
                ("在", Word),
                ("直播间", Other)
            ]),
            ["王小明"]
        );
        // Dictionary words that start with a surname.
        assert_eq!(
            run(&[
                ("今年", Word),
                ("的", Word),
                ("毕业生", Word),
                ("很多", Word)
            ]),
            Vec::<String>::new()
        );
        assert_eq!(
            run(&[("这个", Word), ("王国", Word), ("很", Word), ("小", Word)]),
            Vec::<String>::new()
        );
        assert_eq!(
            run(&[("我们", Word), ("要", Word), ("提高", Word), ("效率", Word)]),
            Vec::<String>::new()
        );
        assert!(MODEL.threshold_tagged().is_finite());
    }

    /// Invented sentences with the tokens and kinds that jieba (0.42.1, its
    /// dictionary) gives them.
    #[test]
    fn names_with_jieba_tokens() {
        use TokenKind::{Name as N, Other as O, Word as W};
        type Case = (
            &'static [(&'static str, TokenKind)],
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            (
                &[
                    ("村民", W),
                    ("张丽华", N),
                    ("笑", W),
                    ("着", W),
                    ("说", W),
                    ("，", O),
                    ("今年", W),
                    ("的", W),
                    ("收成", W),
                    ("不错", W),
                    ("。", O),
                ],
                &["张丽华"],
            ),
            (
                &[
                    ("主播", O),
                    ("王小明", N),
                    ("在", W),
                    ("直播间", W),
                    ("里", W),
                    ("介绍", W),
                    ("家乡", W),
                    ("的", W),
                    ("特产", W),
                    ("。", O),
                ],
                &["王小明"],
            ),
            (
                &[
                    ("这家", W),
                    ("公司", W),
                    ("的", W),
                    ("负责人", W),
                    ("赵", N),
                    ("德军", N),
                    ("表示", W),
                    ("，", O),
                    ("订单", W),
                    ("已经", W),
                    ("排", W),
                    ("到", W),
                    ("明年", W),
                    ("。", O),
                ],
                &["赵德军"],
            ),
            // A stage name (a person's), cut oddly: proposed.
            (
                &[
                    ("网红", O),
                    ("李子", N),
                    ("柒", W),
                    ("发布", W),
                    ("了", W),
                    ("新", W),
                    ("视频", W),
                    ("。", O),
                ],
                &["李子柒"],
            ),
            (
                &[
                    ("文化站", W),
                    ("站长", W),
                    ("周丽", O),
                    ("说", W),
                    ("，", O),
                    ("活动", W),
                    ("很", W),
                    ("受欢迎", W),
                    ("。", O),
                ],
                &["周丽"],
            ),
            (
                &[
                    ("车间主任", W),
                    ("覃", N),
                    ("海波", W),
                    ("介绍", W),
                    ("，", O),
                    ("新", W),
                    ("设备", W),
                    ("已经", W),
                    ("投产", W),
                    ("。", O),
                ],
                &["覃海波"],
            ),
            (
                &[
                    ("张伟", O),
                    ("和", W),
                    ("王芳", O),
                    ("都", W),
                    ("来", W),
                    ("了", W),
                    ("。", O),
                ],
                &["张伟", "王芳"],
            ),
            // Known error: 四 is a rare single given name, 和 a common
            // second one, and the two-character reading loses.
            (
                &[
                    ("李四", N),
                    ("和", W),
                    ("王五", O),
                    ("都", W),
                    ("来", W),
                    ("了", W),
                    ("。", O),
                ],
                &["李四和", "王五"],
            ),
            (
                &[
                    ("今年", W),
                    ("的", W),
                    ("毕业生", W),
                    ("有", W),
                    ("一千多", W),
                    ("人", W),
                    ("。", O),
                ],
                &[],
            ),
            (
                &[
                    ("我们", W),
                    ("要", W),
                    ("进一步提高", W),
                    ("效率", W),
                    ("。", O),
                ],
                &[],
            ),
            (
                &[
                    ("石家庄市", W),
                    ("和", W),
                    ("张家口市", W),
                    ("的", W),
                    ("文化", W),
                    ("活动", W),
                    ("很", W),
                    ("丰富", W),
                    ("。", O),
                ],
                &[],
            ),
            // Known misses: a given name that is an ordinary word (马|建设).
            (
                &[
                    ("村支书", W),
                    ("马", W),
                    ("建设", W),
                    ("表示", W),
                    ("，", O),
                    ("路", W),
                    ("修好", W),
                    ("了", W),
                    ("。", O),
                ],
                &[],
            ),
            // Known errors: jieba's dictionary tags 李子树 and 黄金周 as names
            // (nr). (金银花 too, but its characters outweigh that here.)
            (
                &[
                    ("黄金周", N),
                    ("期间", W),
                    ("游客", W),
                    ("众多", W),
                    ("。", O),
                ],
                &["黄金周"],
            ),
            (
                &[
                    ("院子", W),
                    ("里种", O),
                    ("着", W),
                    ("李子树", N),
                    ("。", O),
                ],
                &["李子树"],
            ),
            (
                &[
                    ("合作社", W),
                    ("销售", W),
                    ("金银花", N),
                    ("和", W),
                    ("小米", W),
                    ("。", O),
                ],
                &[],
            ),
        ];
        for (toks, want) in cases {
            let mut chars = Vec::new();
            let mut tagged = Vec::new();
            for (w, k) in *toks {
                let start = chars.len();
                chars.extend(w.chars());
                tagged.push((start, chars.len(), *k));
            }
            let got: Vec<String> = MODEL
                .propose_tagged(&chars, &tagged)
                .iter()
                .map(|c| chars[c.range.clone()].iter().collect())
                .collect();
            let text: String = chars.iter().collect();
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn candidates_are_ordered_and_disjoint() {
        let chars: Vec<char> = "王小明和李红梅在会上发言，张伟主持。".chars().collect();
        let found = MODEL.propose(&chars, None);
        for pair in found.windows(2) {
            assert!(pair[0].range.end <= pair[1].range.start);
        }
        for c in &found {
            assert!(c.score >= MODEL.threshold(false));
            assert_eq!(
                MODEL.score(&chars, c.range.start, c.range.end, None),
                Some(c.score)
            );
        }
    }

    #[test]
    fn score_checks_shape() {
        let chars: Vec<char> = "的的的的的".chars().collect();
        assert_eq!(MODEL.score(&chars, 0, 3, None), None);
        assert_eq!(MODEL.score(&chars, 0, 1, None), None);
        assert_eq!(MODEL.score(&chars, 0, 9, None), None);
        assert_eq!(MODEL.propose(&[], None), Vec::new());
    }
}
