(ns regpen.seed
  "The seed document's Clojure helper, kept verbatim as a teaching example of what regpen fixes.

  `(* lambda (reduce + (map abs weights)))` adds left to right, rounding after every addition, so its
  last bits depend on the order of the weights (and it checks nothing: a negative or NaN lambda is
  simply multiplied in). regpen.core/l1-regularization returns the correctly rounded value instead.
  The harness runs this as the teaching backend `clojure-seed` and reports its drift in ULPs.")

(defn l1-regularization
  "The seed's L1 penalty, as written: lambda times the naive left-to-right sum of |w_i|."
  [weights lambda]
  (* lambda (reduce + (map abs weights))))
