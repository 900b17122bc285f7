//! Given names that are the same name: `Bill` is William, `Kate` is Katherine.
//!
//! Each group lists a formal name and the short forms a guest gives at a front desk. Some
//! short forms belong to several names (`Alex`, `Chris`, `Sam`); two names are equivalent
//! when they share any group. Names are folded (lower-case ASCII) before lookup.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Formal name first, then its variants.
const GROUPS: &[&[&str]] = &[
    &[
        "william",
        "bill",
        "billy",
        "will",
        "willy",
        "liam",
        "wilhelm",
        "guillaume",
        "guillermo",
    ],
    &["robert", "bob", "bobby", "rob", "robbie", "bert", "roberto"],
    &[
        "katherine",
        "kate",
        "katie",
        "kathy",
        "kath",
        "kat",
        "catherine",
        "kathryn",
        "katharina",
        "caterina",
        "cathy",
        "kitty",
    ],
    &[
        "elizabeth",
        "liz",
        "lizzie",
        "beth",
        "betty",
        "eliza",
        "elisabeth",
        "lisa",
        "elsa",
        "bettina",
        "isabel",
    ],
    &[
        "margaret",
        "maggie",
        "meg",
        "peggy",
        "marge",
        "greta",
        "margarethe",
        "margarita",
        "rita",
    ],
    &["richard", "rick", "ricky", "dick", "rich", "ricardo", "riccardo"],
    &["james", "jim", "jimmy", "jamie", "diego", "jaime", "giacomo"],
    &[
        "john", "johnny", "jack", "jon", "johann", "johannes", "hans", "juan", "joao", "giovanni", "jean", "ivan",
    ],
    &["jonathan", "jon", "jonny", "nathan"],
    &[
        "michael", "mike", "mikey", "mick", "micky", "michel", "miguel", "michele", "mikhail",
    ],
    &["thomas", "tom", "tommy", "tomas", "tomasso", "tommaso"],
    &["joseph", "joe", "joey", "jose", "giuseppe", "josef", "pepe", "beppe"],
    &["charles", "charlie", "chuck", "carlos", "carlo", "karl", "carl"],
    &["edward", "ed", "eddie", "ted", "teddy", "ned", "eduardo", "edoardo"],
    &["anthony", "tony", "antonio", "anton", "antoine"],
    &[
        "alexander",
        "alex",
        "alec",
        "sandy",
        "sasha",
        "alejandro",
        "alessandro",
        "alexandre",
    ],
    &["alexandra", "alex", "sandra", "sasha", "alessandra", "alexa"],
    &["christopher", "chris", "kit", "christoph", "cristoforo"],
    &["christina", "chris", "tina", "kristina", "christine", "kirsten", "cristina"],
    &["daniel", "dan", "danny", "dani"],
    &["david", "dave", "davey", "davide"],
    &["matthew", "matt", "matty", "matthias", "mateo", "matteo", "mathieu"],
    &["andrew", "andy", "drew", "andreas", "andrea", "andre", "andres"],
    &["nicholas", "nick", "nicky", "nicolas", "nicola", "niccolo", "klaus", "nikolaus"],
    &["benjamin", "ben", "benny", "benji"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammy"],
    &["stephen", "steve", "steven", "stefan", "stephan", "esteban", "stefano", "etienne"],
    &["patrick", "pat", "paddy", "patricio"],
    &["patricia", "pat", "patty", "trish", "tricia"],
    &["peter", "pete", "pedro", "pietro", "pierre", "piotr"],
    &["frederick", "fred", "freddy", "fritz", "friedrich", "federico"],
    &[
        "francis",
        "frank",
        "frankie",
        "francesco",
        "francisco",
        "franz",
        "francois",
        "paco",
        "chico",
    ],
    &["henry", "harry", "hank", "heinrich", "enrique", "enrico", "henri"],
    &["lawrence", "larry", "laurence", "lorenzo"],
    &["gerald", "gerry", "jerry"],
    &["timothy", "tim", "timmy"],
    &["kenneth", "ken", "kenny"],
    &["ronald", "ron", "ronnie"],
    &["donald", "don", "donnie"],
    &["douglas", "doug"],
    &["gregory", "greg", "gregorio"],
    &["jeffrey", "jeff", "geoffrey", "geoff"],
    &["joshua", "josh"],
    &["zachary", "zach", "zack"],
    &["susan", "sue", "susie", "suzanne", "susanne", "susanna"],
    &["deborah", "debbie", "deb", "debra"],
    &["jennifer", "jen", "jenny", "jenn"],
    &["jessica", "jess", "jessie"],
    &["rebecca", "becky", "becca"],
    &["victoria", "vicky", "tori"],
    &["barbara", "barb", "babs"],
    &["dorothy", "dot", "dottie", "dora"],
    &["abigail", "abby", "gail"],
    &["pamela", "pam"],
    &["cynthia", "cindy"],
    &["judith", "judy", "jude"],
    &["theresa", "terry", "tess", "tessa", "teresa", "therese"],
    &["josephine", "jo", "josie", "josefina", "giuseppina"],
    &["mary", "maria", "marie", "molly", "polly", "mia", "maja"],
    &["anne", "ann", "anna", "annie", "nancy", "ana", "hannah", "anja"],
    &["helen", "helena", "ellen", "elena", "nell", "lena"],
    &["eleanor", "ellie", "nora", "leonor", "eleonora"],
    &["sophia", "sophie", "sofia"],
    &["caroline", "carol", "carrie", "carolina", "karoline"],
    &["louise", "lou", "lulu", "luisa", "louisa"],
    &["louis", "lou", "luis", "luigi", "ludwig", "lewis"],
    &["jacqueline", "jackie", "jacky"],
    &["frances", "fran", "fanny", "francesca", "francoise", "franziska"],
    &["gabriel", "gabe", "gabriele"],
    &["gabrielle", "gabby", "gabriela", "gabriella"],
    &["vincent", "vince", "vincenzo", "vicente"],
    &["raymond", "ray", "raimundo"],
    &["leonard", "leo", "len", "lenny", "leonardo"],
    &["manuel", "manny", "manolo"],
    &["dominic", "dom", "domenico", "dominique"],
    &["emily", "em", "emma", "emilia", "emilie"],
    &["isabella", "bella", "isabelle", "izzy", "isabel"],
    &["olivia", "liv", "livia"],
    &["natalie", "nat", "natalia", "natasha"],
    &["wolfgang", "wolf"],
    &["guadalupe", "lupe"],
    &["concepcion", "conchita", "concha"],
    &["dolores", "lola"],
    &["ignacio", "nacho"],
];

fn table() -> &'static HashMap<&'static str, Vec<u16>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<u16>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: HashMap<&'static str, Vec<u16>> = HashMap::new();
        for (g, names) in GROUPS.iter().enumerate() {
            for name in *names {
                t.entry(name).or_default().push(g as u16);
            }
        }
        t
    })
}

/// The groups a folded given name belongs to (empty for most names): computed once per
/// person, so comparing two names' groups needs no lookup.
pub fn groups(name: &str) -> &'static [u16] {
    table().get(name).map_or(&[], Vec::as_slice)
}

/// True when the two folded given names are forms of one name (not when they are equal).
pub fn same_name(a: &str, b: &str) -> bool {
    a != b && share_a_group(groups(a), groups(b))
}

pub fn share_a_group(a: &[u16], b: &[u16]) -> bool {
    a.iter().any(|g| b.contains(g))
}

/// Other forms of a folded given name (empty when it has none): for generating test data.
pub fn variants(name: &str) -> Vec<&'static str> {
    let Some(groups) = table().get(name) else {
        return Vec::new();
    };
    let mut out: Vec<&'static str> = groups
        .iter()
        .flat_map(|&g| GROUPS[g as usize].iter().copied())
        .filter(|n| *n != name)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames_are_the_same_name() {
        assert!(same_name("bill", "william"));
        assert!(same_name("kate", "katherine"));
        assert!(same_name("bob", "robert"));
        assert!(same_name("alex", "alexandra"));
        assert!(!same_name("bill", "robert"));
        assert!(!same_name("zhang", "wei"));
        assert!(variants("william").contains(&"bill"));
    }
}
