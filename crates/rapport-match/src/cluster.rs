//! Pairs into people: union-find over the links (pairs at or above a threshold), strongest
//! link first, refusing a union that would put into one group two persons the model
//! scored as surely different (a *conflict*). Without that guard one weak link chains two
//! households into one: A–B and B–C may each look like the same guest while A–C clearly
//! is not.

use std::collections::HashMap;

/// Groups of two or more positions, each sorted, the groups ordered by first member.
/// `links` are `(i, j, probability)`; `conflicts` are pairs that must stay apart.
pub fn clusters(n: usize, links: &[(u32, u32, f64)], conflicts: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut order: Vec<&(u32, u32, f64)> = links.iter().collect();
    order.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut apart: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(i, j) in conflicts {
        apart.entry(i).or_default().push(j);
        apart.entry(j).or_default().push(i);
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut members: HashMap<u32, Vec<u32>> = HashMap::new();
    for &&(i, j, _) in &order {
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        if ri == rj {
            continue;
        }
        let (small, large) = {
            let (si, sj) = (members.get(&ri).map_or(1, Vec::len), members.get(&rj).map_or(1, Vec::len));
            if si <= sj {
                (ri, rj)
            } else {
                (rj, ri)
            }
        };
        let small_members = members.remove(&small).unwrap_or_else(|| vec![small]);
        let clash = small_members.iter().any(|m| {
            apart
                .get(m)
                .is_some_and(|others| others.iter().any(|&o| find(&mut parent, o) == large))
        });
        if clash {
            members.insert(small, small_members);
            continue;
        }
        parent[small as usize] = large;
        members.entry(large).or_insert_with(|| vec![large]).extend(small_members);
    }
    let mut groups: Vec<Vec<u32>> = members
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let up = parent[parent[x as usize] as usize];
        parent[x as usize] = up;
        x = up;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_transitively() {
        let groups = clusters(5, &[(0, 1, 0.999), (1, 2, 0.9995), (3, 4, 0.9999)], &[]);
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3, 4]]);
    }

    #[test]
    fn a_conflict_stops_a_chain() {
        // 0–1 and 1–2 each look like one guest, but 0 and 2 are surely different: the
        // weaker link is not followed.
        let groups = clusters(3, &[(0, 1, 0.9999), (1, 2, 0.999)], &[(0, 2)]);
        assert_eq!(groups, vec![vec![0, 1]]);
    }
}
