"""The SHACL constraint components NQDB evaluates, one small class each (`base.Constraint`): how it is
compiled from its sh: parameter, how it checks a focus node's values, and how its failure is worded.

Modules follow the sections of the SHACL spec (`cardinality`, `value_type`, `string_based`,
`property_pair`, `logical`, `other`); `registry.CONSTRAINTS` is the table `shapes` compiles from, so a new
constraint is one class in one module plus one entry there. sh:closed is not a class here: it belongs to
the node shape (its allowed predicates), and the engine checks it while walking the focus node's
predicates so that its results keep their place among the property results.
"""
