//! Strongly connected components, found without recursion: a plain dependency chain of a
//! hundred thousand systems must not overflow the stack.

use super::NodeIx;

/// The strongly connected components of a graph: each node's component, and the members
/// of each component. Components are numbered in the order Tarjan's algorithm closes them
/// (a component after every component it reaches).
#[derive(Debug, Clone, Default)]
pub(crate) struct Components {
    /// The component of each node.
    pub of: Vec<u32>,
    /// Members of component `k` are `members[start[k]..start[k + 1]]`.
    start: Vec<u32>,
    members: Vec<NodeIx>,
}

impl Components {
    /// Tarjan's algorithm with an explicit stack over `n` nodes; `successors(v, out)`
    /// appends the successors of node `v` to `out`.
    pub fn find(n: usize, successors: impl Fn(usize, &mut Vec<usize>)) -> Self {
        const UNSEEN: u32 = u32::MAX;
        let mut index = vec![UNSEEN; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        // The depth-first path: each node with its successors and how many were taken.
        let mut path: Vec<(usize, usize)> = Vec::new();
        let mut succ: Vec<usize> = Vec::new();
        let mut succ_start: Vec<usize> = Vec::new();
        let mut next_index = 0u32;
        let mut of = vec![0u32; n];
        let mut start = vec![0u32];
        let mut members = Vec::with_capacity(n);
        // Opens node `v`: numbers it, stacks it and lists its successors.
        macro_rules! enter {
            ($v:expr) => {{
                let v = $v;
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                on_stack[v] = true;
                stack.push(v);
                succ_start.push(succ.len());
                successors(v, &mut succ);
                path.push((v, 0));
            }};
        }
        for root in 0..n {
            if index[root] != UNSEEN {
                continue;
            }
            enter!(root);
            while let Some(&(v, taken)) = path.last() {
                let from = succ_start.last().copied().unwrap_or(0);
                if let Some(&w) = succ.get(from + taken) {
                    if let Some(top) = path.last_mut() {
                        top.1 += 1;
                    }
                    if index[w] == UNSEEN {
                        enter!(w);
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                // Every successor of `v` is done.
                path.pop();
                succ.truncate(from);
                succ_start.pop();
                if let Some(&(parent, _)) = path.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let k = (start.len() - 1) as u32;
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        of[w] = k;
                        members.push(NodeIx::new(w));
                        if w == v {
                            break;
                        }
                    }
                    start.push(members.len() as u32);
                }
            }
        }
        Components { of, start, members }
    }

    /// Number of components.
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The members of component `k`.
    pub fn members(&self, k: usize) -> &[NodeIx] {
        match (self.start.get(k), self.start.get(k + 1)) {
            (Some(&a), Some(&b)) => self.members.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The component of node `v`.
    pub fn of(&self, v: NodeIx) -> usize {
        self.of[v.index()] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sccs(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let c = Components::find(n, |v, out| {
            out.extend(edges.iter().filter(|e| e.0 == v).map(|e| e.1))
        });
        let mut all: Vec<Vec<usize>> = (0..c.len())
            .map(|k| {
                let mut m: Vec<usize> = c.members(k).iter().map(|v| v.index()).collect();
                m.sort_unstable();
                m
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn cycles_and_chains_are_told_apart() {
        assert_eq!(
            sccs(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3), (5, 5)]),
            vec![vec![0, 1, 2], vec![3, 4], vec![5]]
        );
        assert_eq!(sccs(3, &[]), vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn components_close_after_what_they_reach() {
        let c = Components::find(3, |v, out| {
            if v < 2 {
                out.push(v + 1)
            }
        });
        // 0 -> 1 -> 2: 2 closes first, 0 last.
        assert_eq!(c.of(NodeIx::new(2)), 0);
        assert_eq!(c.of(NodeIx::new(0)), 2);
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        let n = 1_000_000;
        let c = Components::find(n, |v, out| {
            if v + 1 < n {
                out.push(v + 1)
            }
            if v == n - 1 {
                out.push(0)
            }
        });
        assert_eq!(c.len(), 1);
        assert_eq!(c.members(0).len(), n);
    }
}
