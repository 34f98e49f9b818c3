//! One clause, scanned in named steps: what the clause holds ([`ClauseScan::new`]), the names
//! that end in its type words ([`ClauseScan::names_ending_in_type_words`], each through
//! [`ClauseScan::type_word_end`], [`ClauseScan::left_edge_of`] and one of the designation,
//! named-project and enumeration rules), the bare items of a list the text calls projects
//! ([`ClauseScan::bare_project_items`]), and roads by their numbers
//! ([`ClauseScan::roads_by_number`]).

use super::*;

/// Where a name starts, and how that was decided.
struct Edge {
    left: usize,
    /// The name abbreviates its route's places one character each (和若铁路).
    abbreviated: bool,
    /// The 等 (or the count) the name's type word closes a list with, if it does.
    etc: Option<usize>,
}

/// A clause under scan: what was found in it before any name is cut, and the names found so
/// far (their char spans), which later steps leave alone.
pub(super) struct ClauseScan<'a> {
    ex: &'a Extractor,
    gaz: &'a Gazetteer,
    c: &'a Clause<'a>,
    s: String,
    /// Char offset of each byte offset of `s`.
    b2c: Vec<usize>,
    /// Type words: char span and the category each gives, in text order.
    types: Vec<(usize, usize, Category)>,
    type_spans: Spans,
    /// The gazetteer's places, by char span.
    places: Vec<(usize, usize)>,
    /// Left boundaries (verbs, function words), list counts among them.
    bounds: Bounds,
    /// Counts that close a list (甲、乙、丙三条风景道).
    counts: Vec<(usize, usize)>,
    /// Items of a list the text calls projects (甲、乙等重点项目).
    project_items: Vec<ProjectItem>,
    action: Action,
    found_here: Vec<(usize, usize)>,
}

impl<'a> ClauseScan<'a> {
    /// Step 1: the clause's places, type words, left boundaries and list closers.
    pub(super) fn new(ex: &'a Extractor, gaz: &'a Gazetteer, c: &'a Clause<'a>) -> Self {
        let s: String = c.chars.iter().collect();
        let b2c = byte_to_char(&s);
        let places: Vec<(usize, usize)> = gaz
            .find_names(&s)
            .iter()
            .map(|h| (b2c[h.start], b2c[h.end]))
            .collect();
        let types: Vec<(usize, usize, Category)> = ex
            .types
            .find_iter(&s)
            .map(|m| {
                (
                    b2c[m.start()],
                    b2c[m.end()],
                    lexicon::TYPE_WORDS[m.pattern().as_usize()].1,
                )
            })
            .collect();
        let type_spans = Spans::new(types.iter().map(|t| (t.0, t.1)).collect());
        let place_spans = Spans::new(places.clone());
        // boundaries inside a place name or a type word are not boundaries
        let words: Vec<(usize, usize)> = ex
            .boundaries
            .find_overlapping_iter(&s)
            .map(|m| (b2c[m.start()], b2c[m.end()]))
            .filter(|&(bs, be)| !place_spans.overlaps(bs, be) && !type_spans.overlaps(bs, be))
            // 卡拉麦里山有蹄类…: a one-character joiner inside a word is no joiner
            .filter(|&(bs, be)| be - bs > 1 || !ex.inside_a_word(c.chars, bs, be))
            .collect();
        let bounds = Bounds::new(words.clone());
        // 甲、乙、丙三条风景道: a count that numbers the list before it closes the list
        let counts = counted_lists(c.chars, &bounds);
        let project_items = project_list_items(c.chars);
        let bounds = if counts.is_empty() {
            bounds
        } else {
            Bounds::new(words.into_iter().chain(counts.iter().copied()).collect())
        };
        let action = ex.action_of(&s);
        ClauseScan {
            ex,
            gaz,
            c,
            s,
            b2c,
            types,
            type_spans,
            places,
            bounds,
            counts,
            project_items,
            action,
            found_here: Vec::new(),
        }
    }

    fn text(&self, a: usize, b: usize) -> String {
        self.c.chars[a..b].iter().collect()
    }

    /// Keeps a mention of `name` at chars [start, end) of the clause.
    fn emit(&self, out: &mut Vec<Found>, name: &str, category: Category, start: usize, end: usize) {
        // 塔城市口岸, 立足塔城口岸: a land port is a known site; a town's ports are a class
        if category == Category::Port && is_unknown_town_port(self.gaz, name) {
            return;
        }
        let investment = self.ex.investment_after(self.c, end);
        out.push(
            self.ex
                .found(self.c, name, category, self.action, investment, start, end),
        );
    }

    /// Step 2: every name that ends in a type word.
    pub(super) fn names_ending_in_type_words(&mut self, out: &mut Vec<Found>) {
        for k in 0..self.types.len() {
            self.name_ending_at(k, out);
        }
    }

    /// The name (or names) the `k`th type word ends: its right end, its left edge, then the
    /// rule that fits — a designation, a name of its own, or the items of a list.
    fn name_ending_at(&mut self, k: usize, out: &mut Vec<Found>) {
        let (ts, _, category) = self.types[k];
        let Some((te0, te)) = self.type_word_end(k) else {
            return;
        };
        let Some(Edge {
            left,
            abbreviated,
            etc,
        }) = self.left_edge_of(ts, te, category)
        else {
            return;
        };
        let type_word = self.text(ts, te);
        let core = self.text(left, ts);
        let name = trim_name(&self.text(left, te));
        // 美丽新区, 学校公园: a weak type word needs a known place in the name
        // (a street's own works, 东进场路高架 and 喀什路南延, need no place)
        // (苏巴什古城, 苏库恰克公园: proper nouns alone, two characters or more, no common
        // word, name it too)
        // (甲、乙等项目: the text itself calls the name a project's)
        // (既有铁路 still describes a kind: a name has no function word in it)
        let called_project = self
            .project_items
            .iter()
            .any(|i| i.start <= left && i.end == te)
            && !self
                .ex
                .segments_of(self.c.chars, left, ts, &self.places)
                .iter()
                .any(|s| s.pos == Pos::Function);
        let weak_type = !called_project
            && lexicon::WEAK_TYPES.contains(&type_word.as_str())
            && self.gaz.find_names(&core).is_empty()
            && !core.ends_with('路')
            && !(lexicon::PROPER_SITES.contains(&type_word.as_str())
                && ts >= left + 2
                && self
                    .ex
                    .segments_of(self.c.chars, left, ts, &self.places)
                    .iter()
                    .all(|s| s.pos == Pos::Proper));
        // 轨道交通2号线: a numbered line is one line of the city's network; 西绕城高速,
        // 东二环路: a ring road is named by its side
        let named_by_number = self.text(te0, te).ends_with("号线");
        let named_by_side = lexicon::RING_ROADS.contains(&type_word.as_str())
            && core.chars().count() == 1
            && core.chars().all(|c| "东西南北".contains(c));
        // 110千伏线路: the voltage before a type word that starts with its unit is the kind
        // of line, not its name
        let named = if type_word.starts_with("千伏") {
            core.trim_end_matches(|c: char| c.is_ascii_digit() || c == '±')
        } else {
            core.as_str()
        };
        // 燕泉山创建为国家4A级旅游景区, 柯坪成为国家百万千瓦级光伏基地: a grade's class
        // names the place it is given to
        if etc.is_none()
            && !self.ex.is_specific(self.gaz, named)
            && self.designation(out, left, te, category, &type_word)
        {
            return;
        }
        if etc.is_none()
            && !weak_type
            && (abbreviated
                || named_by_number
                || named_by_side
                || (self.ex.is_specific(self.gaz, named)
                    && (called_project
                        || !self
                            .ex
                            .is_class(self.c.chars, left, ts, &self.places, category))))
        {
            self.named_project(out, (left, ts, te), category, &name, &core, &type_word);
        } else if let Some(e) = etc {
            self.enumeration(out, (left, ts, te), e, category, &type_word);
        }
    }

    /// Where the `k`th type word ends (a type word of its kind right after, and qualifiers,
    /// extend it): its bare end and its end with qualifiers. `None` when it names no project
    /// itself: it qualifies the next one, repeats the one before, or modifies what follows.
    fn type_word_end(&self, k: usize) -> Option<(usize, usize)> {
        let (ts, te0, category) = self.types[k];
        // 兰新铁路第二双线: a type word of the same kind right after extends the name
        let te0 = match self.types.get(k + 1) {
            Some(n) if n.0 == te0 && n.2 == category => n.1,
            _ => te0,
        };
        let te = self.ex.extend_qualifiers(self.c.chars, te0);
        if self.ex.qualifies_next(self.c.chars, &self.types, k, te) {
            return None;
        }
        // 四棵树矿区煤矿: a second type word of the same kind repeats the first
        if k > 0 && self.types[k - 1].1 == ts && self.types[k - 1].2 == category {
            return None;
        }
        let after = self.text(te, self.c.chars.len().min(te + 2));
        if lexicon::CONTINUATIONS.iter().any(|w| after.starts_with(w)) {
            return None;
        }
        Some((te0, te))
    }

    /// Where the name ending in the type word at [ts, te) starts: the last boundary before it
    /// (weak ones skipped while they leave a generic name), a route's abbreviation, function
    /// words and a road number's preamble cut off. `None` for a span too long to be a name.
    fn left_edge_of(&self, ts: usize, te: usize, category: Category) -> Option<Edge> {
        let mut left = left_edge(self.c.chars, &self.bounds, ts, &[]);
        // 察和特220千伏输变电工程: a weak boundary that leaves a generic name is no boundary
        let mut skipped: Vec<(usize, usize)> = Vec::new();
        while ts - left <= MAX_NAME_CHARS && !self.ex.is_specific(self.gaz, &self.text(left, ts)) {
            let Some(&weak) = self.bounds.ending_at(left).iter().find(|&&(bs, be)| {
                !skipped.contains(&(bs, be))
                    && lexicon::WEAK_BOUNDARIES.contains(&self.text(bs, be).as_str())
            }) else {
                break;
            };
            // 资源开采区和经济开发区: what stands before 和 is a whole thing of its own
            if weak.0 > 0
                && (self.type_spans.ends_at(weak.0)
                    || lexicon::is_zone_end(self.c.chars[weak.0 - 1]))
            {
                break;
            }
            skipped.push(weak);
            left = left_edge(self.c.chars, &self.bounds, ts, &skipped);
        }
        if ts - left > MAX_NAME_CHARS {
            return None;
        }
        // 和若铁路 (和田–若羌): a route named by one character per place keeps a first
        // character that is also a conjunction, and is no kind of route
        let route = matches!(category, Category::Railway | Category::Highway);
        let abbreviates =
            |l: usize| route && routes::abbreviated_waypoints(&self.text(l, te)).is_some();
        // (the conjunction may have been taken for the name's left boundary)
        let (left, abbreviated) = if abbreviates(left) {
            (left, true)
        } else if left > 0
            && !lexicon::is_clause_break(self.c.chars[left - 1])
            && abbreviates(left - 1)
        {
            (left - 1, true)
        } else {
            (left, false)
        };
        let mut left = if abbreviated {
            left
        } else {
            skip_function_char(self.gaz, self.c.chars, left, ts)
        };
        let etc = etc_before(self.c.chars, &self.bounds, &self.counts, left);
        if etc.is_none() && !abbreviated {
            left = self
                .ex
                .cut_after_function_words(self.gaz, self.c.chars, left, ts, &self.places);
        }
        // 第二净水厂（一期）及楼庄子供水工程: a joiner after a name its phase closes starts
        // another name
        if let Some(k) = (left + 1..ts)
            .rev()
            .find(|&k| lexicon::is_pair_joiner(self.c.chars[k]) && self.closes_a_name(k))
        {
            left = k + 1;
        }
        // 路段G3018精河至阿拉山口高速公路: words before a road number are not its name
        if let Some(m) = self.ex.highway_number.find(&self.text(left, ts)) {
            let k = left + self.text(left, ts)[..m.start()].chars().count();
            if k > left && !self.ex.names_something(self.c.chars, left, k, &self.places) {
                left = k;
            }
        }
        Some(Edge {
            left,
            abbreviated,
            etc,
        })
    }

    /// Whether a bracket closing at `at` closes a name: its opening bracket stands right after
    /// a type word (净水厂（一期）, 水库（二期）).
    fn closes_a_name(&self, at: usize) -> bool {
        let chars = self.c.chars;
        if !matches!(chars[at - 1], '）' | ')') {
            return false;
        }
        let floor = at.saturating_sub(8);
        (floor..at - 1)
            .rev()
            .find(|&k| matches!(chars[k], '（' | '('))
            .is_some_and(|open| self.type_spans.ends_at(open))
    }

    /// 燕泉山创建为国家4A级旅游景区: the subjects of a designation named by the grade's class
    /// before `left`. Whether there were any.
    fn designation(
        &mut self,
        out: &mut Vec<Found>,
        left: usize,
        te: usize,
        category: Category,
        type_word: &str,
    ) -> bool {
        let subjects = self.ex.designated_subjects(
            self.gaz,
            self.c.chars,
            left,
            &self.types,
            &self.places,
            &self.bounds,
        );
        if !subjects.is_empty() {
            for (is, vs) in subjects {
                let subject = self.text(is, vs);
                // (艾丁湖、楼兰酒庄创建…: a subject's mention does not swallow the named
                // item after it)
                let end = if self.types.iter().any(|t| t.0 >= vs && t.1 <= left) {
                    vs
                } else {
                    te
                };
                self.emit(out, &format!("{subject}{type_word}"), category, is, end);
                self.found_here.push((is, end));
            }
            return true;
        }
        false
    }

    /// A specific name of its own at [left, te), and what shares it: a zone line's zones, the
    /// bare items listed before it (改扩建乌鲁木齐、吐鲁番、伊宁机场).
    fn named_project(
        &mut self,
        out: &mut Vec<Found>,
        (left, ts, te): (usize, usize, usize),
        category: Category,
        name: &str,
        core: &str,
        type_word: &str,
    ) {
        if name.chars().count() > MAX_NAME_CHARS
            || self.ex.not_projects.is_match(name)
            || starts_with_count(self.gaz, name)
            || counts_things(self.gaz, core)
            || counted_after_space(self.c.chars, left, name)
        {
            return;
        }
        // 乌鲁木齐和克拉玛依云计算基地: two places sharing one name (ports are sites:
        // 塔城市和巴克图口岸 is a town and a port)
        let split = if category == Category::Port {
            None
        } else {
            self.ex.split_and(self.gaz, name)
        };
        if let Some((first, second)) = split {
            self.emit(out, &first, category, left, te);
            self.emit(out, &second, category, left, te);
        } else {
            let name = canonical_site_name(self.gaz, name, category);
            self.emit(out, &name, category, left, te);
        }
        self.found_here.push((left, te));
        // 和丰物流园、乌苏物流园、沙湾工业园铁路专用线: a line serving a zone is shared by
        // the zones listed before it
        if type_word.ends_with("专用线") && self.type_spans.ends_at(ts) {
            for (is, ie) in zone_items_before(self.c.chars, left, &self.types) {
                let item = trim_name(&self.text(is, ie));
                self.emit(out, &format!("{item}{type_word}"), category, is, te);
            }
        }
        // 改扩建乌鲁木齐、吐鲁番、伊宁机场: bare items before share the name's tail
        // (楼兰酒庄, 车师古道, 果子沟大峡谷: a site its own proper noun names shares its
        // name with no item)
        let proper_site = lexicon::PROPER_SITES.contains(&type_word)
            || (category == Category::Scenic && lexicon::WEAK_TYPES.contains(&type_word));
        if let Some(shared) = shared_tail(self.gaz, core, type_word).filter(|_| !proper_site) {
            // 乌鲁木齐和克拉玛依云计算基地: a place joined by 和 shares the tail too
            if let Some((is, ie)) = place_joined_before(self.gaz, self.c.chars, left, &self.bounds)
            {
                let item = self.text(is, ie);
                if !self.ex.types.is_match(&item) {
                    self.emit(out, &format!("{item}{shared}"), category, is, te);
                }
            }
            // 南旅基地、天山大峡谷景区: a tail that is more than the type word (大峡谷景区)
            // goes only to items that are places themselves
            let whole_places_only = shared != type_word;
            for (is, ie) in enum_items_before(
                self.c.chars,
                left,
                &self.type_spans,
                &self.bounds,
                category.is_linear(),
            ) {
                // (以黑山、克布尔碱、沙尔湖矿区: the preposition before the first item)
                let is =
                    self.ex
                        .cut_after_function_words(self.gaz, self.c.chars, is, ie, &self.places);
                let item = trim_name(&self.text(is, ie));
                // 南山林场—西白杨沟、小东沟—庙尔沟乡村公路: routes are longer items
                let route_item = category.is_linear() && item.contains(ROUTE_SEPARATORS);
                // (柯坪光伏二期、阿恰水库: an item that says it is another kind of work
                // does not share the name)
                let other_kind = bare_item_kind(&item, None).is_some_and(|(k, _)| k != category);
                if self.ex.is_specific(self.gaz, &item)
                    && !other_kind
                    && (item.chars().count() <= MAX_SHARED_ITEM_CHARS || route_item)
                    && !lexicon::NOT_ITEMS.iter().any(|w| item.contains(w))
                    && !lexicon::NOT_PLACE_ITEMS.contains(&item.as_str())
                    && (!whole_places_only || is_only_places(self.gaz, &item))
                {
                    self.emit(out, &format!("{item}{shared}"), category, is, te);
                }
            }
        }
    }

    /// The items of a list closed by 等 (or a count) at `e` before the type word at [ts, te):
    /// 喀拉也木勒、锡伯图、巴音沟等水库.
    fn enumeration(
        &mut self,
        out: &mut Vec<Found>,
        (left, ts, te): (usize, usize, usize),
        e: usize,
        category: Category,
        type_word: &str,
    ) {
        // 喀拉也木勒、锡伯图、巴音沟等水库: each item before 等 gets the type word, and
        // what stands between 等 and it unless that is only generic (小型, 重点)
        // (天山大峡谷等28个A级景区: the count between is no part of the items' names)
        let middle = self.text(left, ts);
        let middle = without_count(&middle);
        // (文庙、文昌阁等历史文物遗址: a class described at length before a site's head
        // word is what the items are; each is named as it stands)
        let described = !self.ex.is_generic(middle)
            && middle.chars().count() >= 3
            && lexicon::PROPER_SITES.contains(&type_word);
        let shared = if described {
            String::new()
        } else if self.ex.is_generic(middle) {
            type_word.to_string()
        } else {
            format!("{middle}{type_word}")
        };
        let (stop, items) = self.list_items(e);
        let last_words = self.last_item_words(&items, stop, e);
        for (is, ie) in items {
            if self.type_spans.any_within(is, ie) {
                // 天山大峡谷等28个A级景区, 车师古道等4条古道: an item that ends in a type
                // word of the list's kind is named whole, even by a word too weak alone
                // (车师古道、百里丹霞四条旅游风景道: a site of another kind, not a
                // project by itself there, is what a route of the list is named after)
                let Some(&(its, _, kind)) = self.types.iter().find(|t| t.1 == ie) else {
                    continue;
                };
                let is =
                    self.ex
                        .cut_after_function_words(self.gaz, self.c.chars, is, ie, &self.places);
                let item = trim_name(&self.text(is, ie));
                let found_alone = self.found_here.iter().any(|&(_, b)| b == ie);
                if is < its
                    && ie - is <= MAX_NAME_CHARS
                    && self.ex.is_specific(self.gaz, &self.text(is, its))
                {
                    if kind == category && !found_alone {
                        self.emit(out, &item, category, is, ie);
                    } else if kind != category && category.is_linear() {
                        self.emit(out, &format!("{item}{shared}"), category, is, te);
                    } else {
                        continue;
                    }
                    self.found_here.push((is, ie));
                }
                continue;
            }
            if ie - is > MAX_ITEM_CHARS {
                continue;
            }
            // 以现有奎屯-独山子等园区: the words before the first item are not its name
            let is = self
                .ex
                .cut_after_function_words(self.gaz, self.c.chars, is, ie, &self.places);
            let item = trim_name(&self.text(is, ie));
            if item.chars().count() >= 2
                && !self.ex.is_generic(&item)
                && (!described || !is_only_places(self.gaz, &item))
                && !self.ex.highway_number.is_match(&item)
                && !has_count(&item)
                && !lexicon::NOT_PLACE_ITEMS.contains(&item.as_str())
            {
                let words = match &last_words {
                    Some(w)
                        if ie != e
                            && (is_only_places(self.gaz, &item)
                                || is_only_places(
                                    self.gaz,
                                    item.trim_end_matches(&lexicon::PLACE_FEATURE_CHARS[..]),
                                )) =>
                    {
                        w.as_str()
                    }
                    _ => "",
                };
                self.emit(out, &format!("{item}{words}{shared}"), category, is, te);
                self.found_here.push((is, ie));
            }
        }
    }

    /// The items of the list its 等 (or count) closes at `e`, from the last boundary before it;
    /// a joiner (和, 及, 与) after a bare place joins one more item rather than ending the list
    /// (乌苏、沙湾和奎屯等工业园区, 乌苏及沙湾等工业园区). Returns where the list starts and its items.
    fn list_items(&self, e: usize) -> (usize, Vec<(usize, usize)>) {
        let chars = self.c.chars;
        let floor = e.saturating_sub(MAX_ENUM_CHARS);
        let last = |x: usize| {
            self.bounds
                .last_end(x, floor, |(bs, be)| chars.get(bs) != Some(&'等') && be <= e)
                .unwrap_or(floor)
        };
        let mut stop = last(e);
        let mut joiners = Vec::new();
        while stop > floor + 1 {
            let j = stop - 1;
            if !lexicon::is_pair_joiner(chars[j]) {
                break;
            }
            let before = last(j);
            let item_start = (before..j)
                .rev()
                .find(|&k| lexicon::is_item_break(chars[k]))
                .map_or(before, |k| k + 1);
            let item = self.text(item_start, j);
            if item.chars().count() > MAX_ITEM_CHARS || !is_only_places(self.gaz, &item) {
                break;
            }
            joiners.push(j);
            stop = before;
        }
        let mut items = Vec::new();
        let mut from = stop;
        for &j in joiners.iter().rev() {
            items.extend(split_items(chars, from, j));
            from = j + 1;
        }
        items.extend(split_items(chars, from, e));
        (stop, items)
    }

    /// 头屯河、玛纳斯河沿岸整治等生态修复工程: the last item's words after its place, which the
    /// bare places listed before it share, when the list's items (from `stop` to its 等 at
    /// `e`) hold no type word.
    fn last_item_words(&self, items: &[(usize, usize)], stop: usize, e: usize) -> Option<String> {
        items
            .iter()
            .rfind(|&&(_, ie)| ie == e)
            .and_then(|&(is, ie)| {
                let item = trim_name(&self.text(is, ie));
                let hits = self.gaz.find_names(&item);
                let h = hits.first().filter(|h| h.start == 0)?;
                // (玛纳斯河: the gazetteer knows the county, 河 is still the place's)
                let rest = item[h.end..].trim_start_matches(&lexicon::PLACE_FEATURE_CHARS[..]);
                let n = rest.chars().count();
                ((2..=MAX_SHARED_WORDS_CHARS).contains(&n)
                    && self.gaz.find_names(rest).is_empty()
                    && !self.ex.is_generic(rest))
                .then(|| rest.to_string())
            })
            .filter(|_| items.len() >= 2 && !self.type_spans.any_within(stop, e))
    }

    /// Step 3: the bare items of a list the text calls key projects.
    pub(super) fn bare_project_items(&mut self, out: &mut Vec<Found>) {
        // 托克逊洁净能源多联产、…等重大项目: an item with no type word that the text calls a
        // project, names something and says what kind of work it is
        let items = self.project_items.clone();
        for item in &items {
            let (is, ie) = (item.start, item.end);
            if !item.key
                || self.type_spans.any_within(is, ie)
                || self.found_here.iter().any(|&(a, b)| a < ie && is < b)
                || ie - is > MAX_BARE_ITEM_CHARS
            {
                continue;
            }
            let is = self
                .ex
                .cut_after_function_words(self.gaz, self.c.chars, is, ie, &self.places);
            let name = trim_name(&self.text(is, ie));
            let Some((category, at)) = bare_item_kind(&name, item.kind) else {
                continue;
            };
            // (a place or a proper noun before the kind word: 地方政府储气设施 names nothing)
            let named_end = if at == 0 {
                ie
            } else {
                is + name[..at].chars().count()
            };
            if name.chars().count() >= 4
                && self
                    .ex
                    .names_something(self.c.chars, is, named_end, &self.places)
                && !has_count(&name)
                && !self.ex.not_projects.is_match(&name)
            {
                self.emit(out, &name, category, is, ie);
                self.found_here.push((is, ie));
            }
        }
    }

    /// Step 4: roads by their numbers (216国道, G30, S201线), where no name holds them.
    pub(super) fn roads_by_number(mut self, out: &mut Vec<Found>) {
        let found_spans = Spans::new(std::mem::take(&mut self.found_here));
        // 216国道, 103省道: a road by its number in words
        for m in self.ex.numbered_road.find_iter(&self.s) {
            let (ms, me) = (self.b2c[m.start()], self.b2c[m.end()]);
            if found_spans.contains(ms, me)
                || (ms > 0 && self.c.chars[ms - 1].is_ascii_alphanumeric())
            {
                continue;
            }
            self.emit(out, m.as_str(), Category::Highway, ms, me);
        }
        // G30, S201线: numbered roads not already inside a name
        for m in self.ex.highway_number.find_iter(&self.s) {
            let (ms, me) = (self.b2c[m.start()], self.b2c[m.end()]);
            if found_spans.contains(ms, me) {
                continue;
            }
            if !m.as_str().ends_with('线')
                && self
                    .c
                    .chars
                    .get(me)
                    .is_some_and(|ch| ch.is_ascii_alphanumeric())
            {
                continue;
            }
            if ms > 0 && self.c.chars[ms - 1].is_ascii_alphanumeric() {
                continue;
            }
            let number: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
            let written_line = number.ends_with('线');
            // G575线巴里坤-哈密, G7明水（新甘界）-哈密…等高速公路: endpoints after the number
            if let Some((end, tail)) = road_endpoints(self.c.chars, me) {
                let section: String = self.c.chars[me..end].iter().collect();
                let name = format!("{number}{section}{tail}");
                self.emit(out, &name, Category::Highway, ms, end);
                continue;
            }
            let mut name = number;
            if !written_line {
                // a bare G30 is a road's number in passing, not a project, unless it names the
                // road written before it (乌尉(G7011))
                let bracketed = ms > 0 && matches!(self.c.chars[ms - 1], '(' | '（');
                // G312、G331、S327公路项目: numbers listed before the road word name roads
                if let Some(word) = self.ex.closing_road_word(self.c.chars, me) {
                    self.emit(out, &format!("{name}{word}"), Category::Highway, ms, me);
                    continue;
                }
                // 乌鲁木齐-菊花台公路（S110）: the number of the road just named
                if !bracketed || self.type_spans.ends_at(ms - 1) {
                    continue;
                }
                name.push('线');
            }
            // G219线和布克赛尔至阿拉山口段, S101线沙湾境内: the section named after the number
            let end = road_section_end(self.c.chars, me);
            name.extend(&self.c.chars[me..end]);
            self.emit(out, &name, Category::Highway, ms, end);
        }
    }
}
