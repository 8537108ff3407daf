;; Runs regpen's clojure.test suites (the Maven test script and `make clojure-test`): prints
;; clojure.test's summary and exits non-zero on any failure or error, so that the build fails.
(require '[clojure.test :as t])

(def test-namespaces
  '[regpen.exact-test regpen.core-test regpen.spec2-test regpen.vectors-test
    regpen.dot-test regpen.model-test regpen.training-vectors-test])

(apply require test-namespaces)

(let [{:keys [test fail error]} (apply t/run-tests test-namespaces)]
  (shutdown-agents)
  (System/exit (if (and (pos? test) (zero? fail) (zero? error)) 0 1)))
