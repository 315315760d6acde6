//! What loading learns on its way that the graph needs again: each link's ends as node
//! positions and its group as a number. The reference checks look every id up once; these
//! tables keep the answers, put in the inventory's canonical order, so that building the
//! graph resolves no id a second time.

use rayon::prelude::*;

use super::model::{Link, Node, Text, sorted_by_id};

/// A position that names nothing: an end that is not a declared node, a link in no group.
pub(crate) const NONE: u32 = u32::MAX;

/// The redundancy groups of the links, numbered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GroupNumbers {
    /// Each link's group, a number below `count` ([`NONE`]: in no group).
    pub of_link: Vec<u32>,
    /// How many numbers there are (some may be unused).
    pub count: usize,
    /// The `min` of each declared or implied group, by number.
    pub mins: Vec<(u32, u32)>,
}

/// The references of a loaded inventory, resolved, in its canonical order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    /// Each link's (provider, consumer), as node positions.
    pub ends: Vec<(u32, u32)>,
    /// Each link's redundancy group, numbered, and the groups' `min`.
    pub groups: GroupNumbers,
}

/// The references as the checks resolved them, in file order.
pub(crate) struct FileOrder {
    /// Each link's (consumer, provider) file positions ([`NONE`] for an unknown id).
    pub ends: Vec<(u32, u32)>,
    /// As [`Resolved::groups`], in file order.
    pub groups: GroupNumbers,
}

/// The order that sorts `items` by their (distinct) ids, as `order[k]` = the position of
/// the `k`-th; `None` when they are sorted already. Items are mostly two sorted runs (the
/// written links, then those that `sites` adds): those merge in one pass.
fn sorting_order<T: Sync>(
    items: &[T],
    run: usize,
    id: impl Fn(&T) -> &Text + Sync + Copy,
) -> Option<Vec<u32>> {
    if sorted_by_id(items, id) {
        return None;
    }
    let (first, second) = items.split_at(run.min(items.len()));
    if sorted_by_id(first, id) && sorted_by_id(second, id) {
        let mut order = Vec::with_capacity(items.len());
        let (mut i, mut j) = (0, 0);
        while let (Some(a), Some(b)) = (first.get(i), second.get(j)) {
            if id(a) < id(b) {
                order.push(i as u32);
                i += 1;
            } else {
                order.push((run + j) as u32);
                j += 1;
            }
        }
        order.extend((i..first.len()).map(|i| i as u32));
        order.extend((run + j..items.len()).map(|j| j as u32));
        return Some(order);
    }
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (a, b) = (items.get(a as usize), items.get(b as usize));
        a.map(id).cmp(&b.map(id))
    });
    Some(order)
}

/// Puts `items` in `order` (the `k`-th becomes the one at `order[k]`), in place: each
/// cycle of the permutation is rotated by swaps.
fn permute<T>(items: &mut [T], order: &[u32]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut at = start;
        loop {
            if let Some(d) = done.get_mut(at) {
                *d = true;
            }
            let next = order.get(at).map_or(start, |&n| n as usize);
            if next == start || next >= items.len() {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// Gathers `values` in `order`.
fn gathered<T: Copy + Send + Sync>(values: &[T], order: &[u32], blank: T) -> Vec<T> {
    order
        .par_iter()
        .map(|&i| values.get(i as usize).copied().unwrap_or(blank))
        .collect()
}

/// Sorts the nodes and links by id (links: the first `written` are one run, the rest
/// another) and the resolved references with them.
pub(crate) fn sort_by_id(
    nodes: &mut [Node],
    links: &mut [Link],
    written: usize,
    refs: FileOrder,
) -> Resolved {
    let FileOrder {
        mut ends,
        mut groups,
    } = refs;
    // A node's new position, by its file position.
    let rank: Option<Vec<u32>> = sorting_order(nodes, nodes.len(), |n| &n.id).map(|order| {
        permute(nodes, &order);
        let mut rank = vec![NONE; order.len()];
        for (k, &i) in order.iter().enumerate() {
            if let Some(r) = rank.get_mut(i as usize) {
                *r = k as u32;
            }
        }
        rank
    });
    if let Some(order) = sorting_order(links, written, |l| &l.id) {
        permute(links, &order);
        ends = gathered(&ends, &order, (NONE, NONE));
        groups.of_link = gathered(&groups.of_link, &order, NONE);
    }
    let new = |i: u32| match &rank {
        Some(rank) => rank.get(i as usize).copied().unwrap_or(NONE),
        None => i,
    };
    let ends = ends
        .into_par_iter()
        .map(|(c, p)| (new(p), new(c)))
        .collect();
    Resolved { ends, groups }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Tables;
    use crate::inventory::{CsvTables, FileSource, LoadOptions, LoadOutcome, Source, load_source};
    use std::path::{Path, PathBuf};

    /// The graph's tables from what the load resolved equal those built from the model.
    fn tables_agree(outcome: &LoadOutcome, what: &str) {
        let resolved = outcome.resolved.clone().expect("a load resolves");
        let from_load = Tables::resolved(&outcome.inventory, resolved).expect("they fit");
        let mut inv = outcome.inventory.clone();
        assert_eq!(from_load, Tables::build(&mut inv), "{what}");
    }

    #[test]
    fn the_shipped_inventories_resolve_to_the_tables_built_from_their_model() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        assert!(paths.len() >= 5);
        for path in paths {
            let outcome = crate::inventory::load_with(&path, &LoadOptions::default()).unwrap();
            tables_agree(&outcome, &path.display().to_string());
        }
    }

    /// The rows of a CSV file after its header, reversed: no id is in order any more.
    fn reversed(file: &Path) -> FileSource {
        let text = std::fs::read_to_string(file).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        FileSource::Bytes {
            name: file.to_path_buf(),
            bytes: (lines.join("\n") + "\n").into_bytes(),
        }
    }

    #[test]
    fn generated_inventories_in_any_row_order_resolve_to_the_tables_built_from_their_model() {
        for seed in 1..=4 {
            let opts = crate::generate::GenOptions {
                nodes: 400,
                links: 3000,
                seed,
            };
            let inv = crate::generate::generate(&opts);
            let dir = std::env::temp_dir()
                .join(format!("ripplemap-resolve-{}-{seed}", std::process::id()));
            crate::inventory::write_csv_dir(&inv, &dir).unwrap();
            let as_written = crate::inventory::load_with(&dir, &LoadOptions::default()).unwrap();
            tables_agree(&as_written, "rows in id order");
            let tables = CsvTables {
                systems: reversed(&dir.join("systems.csv")),
                links: reversed(&dir.join("links.csv")),
                groups: Some(reversed(&dir.join("groups.csv"))),
                policy: None,
            };
            let shuffled =
                load_source(&Source::Tables(tables), None, &LoadOptions::default()).unwrap();
            tables_agree(&shuffled, "rows in reverse order");
            assert_eq!(shuffled.inventory, as_written.inventory);
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }

    fn ids(v: &[&str]) -> Vec<Text> {
        v.iter().map(|s| Text::from(*s)).collect()
    }

    fn sorted(items: &[Text], run: usize) -> Vec<Text> {
        let mut v = items.to_vec();
        if let Some(order) = sorting_order(&v, run, |t| t) {
            permute(&mut v, &order);
        }
        v
    }

    #[test]
    fn two_sorted_runs_merge_and_any_order_sorts() {
        let want = ids(&["a", "b", "c", "d", "e", "f"]);
        assert_eq!(sorted(&ids(&["a", "c", "f", "b", "d", "e"]), 3), want);
        assert_eq!(sorted(&ids(&["f", "a", "e", "b", "d", "c"]), 3), want);
        assert_eq!(sorted(&ids(&["d", "e", "f", "a", "b", "c"]), 3), want);
        assert_eq!(sorted(&want, 2), want);
        assert!(sorting_order(&want, 0, |t| t).is_none());
    }

    #[test]
    fn a_permutation_puts_each_item_where_the_order_says() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        let order = [3, 0, 4, 1, 2];
        permute(&mut v, &order);
        assert_eq!(v, vec!['d', 'a', 'e', 'b', 'c']);
        assert_eq!(
            gathered(&[10, 11, 12, 13, 14], &order, 0),
            vec![13, 10, 14, 11, 12]
        );
    }

    proptest::proptest! {
        #[test]
        fn sorting_through_an_order_equals_sorting(
            set in proptest::collection::btree_set("[a-e]{1,3}", 0..40),
            seed in 0u64..1000,
            run in 0usize..40,
        ) {
            let mut items: Vec<Text> = set.iter().map(|s| Text::from(s.as_str())).collect();
            // A shuffle that depends on the seed only.
            let n = items.len();
            for i in (1..n).rev() {
                let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) >> 7) as usize % (i + 1);
                items.swap(i, j);
            }
            let mut want = items.clone();
            want.sort();
            proptest::prop_assert_eq!(sorted(&items, run), want);
        }
    }
}
