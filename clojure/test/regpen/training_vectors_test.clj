(ns regpen.training-vectors-test
  "Runs every vector of conformance/vectors/training.json (SPEC §7) through regpen.model and checks
  the bits of the whole trajectory, the coefficients, intercept and gap, n_iter and the converged
  flag, or the error code. Expected values come only from the exact oracle's file."
  (:require [clojure.data.json :as json]
            [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [regpen.core :as rp]
            [regpen.model :as m]))

(set! *warn-on-reflection* true)

(defn- training-file
  "training.json in the regpen.vectors directory (set by the pom), REGPEN_VECTORS, or the
  repository's conformance/vectors seen from clojure/ or from the repository root."
  ^java.io.File []
  (->> [(System/getProperty "regpen.vectors") (System/getenv "REGPEN_VECTORS")
        "../conformance/vectors" "conformance/vectors"]
       (remove nil?)
       (map #(io/file % "training.json"))
       (filter #(.isFile ^java.io.File %))
       first))

(defn- load-tests []
  (when-let [file (training-file)]
    (for [group (get (json/read-str (slurp file)) "groups")
          test (get group "tests")]
      test)))

(defn- decode ^double [^String h]
  (Double/longBitsToDouble (Long/parseUnsignedLong (subs h 2) 16)))

(defn- hex [x] (format "0x%016x" (Double/doubleToRawLongBits (double x))))

(defn- penalty
  "The penalty of a vector, built from its configuration (a bad one throws its own code)."
  [config]
  (rp/from-config (update-vals config (fn [v] (cond (string? v) (if (str/starts-with? v "0x") (decode v) v)
                                                    :else (mapv decode v))))))

(defn- inputs
  "[X as nested vectors of Doubles, y, options] of a vector's args."
  [{:strs [x x_shape y solver fit_intercept max_iter tol]} config]
  (let [[_ p] x_shape
        xs (mapv decode x)]
    [(if (pos? p) (mapv vec (partition p xs)) (vec (repeat (first x_shape) [])))
     (mapv decode y)
     {:solver (keyword solver) :fit-intercept fit_intercept :max-iter max_iter :tol (decode tol)
      :trajectory? true :penalty (penalty config)}]))

(defn- run-train [{:strs [args] :as test}]
  (let [[x y opts] (inputs args (get test "penalty"))
        fit (m/train-model x y opts)]
    {"trajectory" (mapv #(mapv hex %) (:trajectory fit))
     "coef" (mapv hex (:coef fit))
     "intercept" (hex (:intercept fit))
     "n_iter" (:n-iter fit)
     "gap" (hex (:gap fit))
     "converged" (:converged? fit)}))

(defn- run-path [{:strs [args] :as test}]
  (let [[x y opts] (inputs args (get test "penalty"))
        {:strs [strengths n_strengths eps]} args
        grid (if strengths {:strengths (mapv decode strengths)} {:n-strengths n_strengths :eps (decode eps)})
        fits (m/regularization-path x y (merge (dissoc opts :trajectory?) grid))]
    {"strengths" (mapv (comp hex :strength) fits)
     "coefs" (mapv #(mapv hex (:coef %)) fits)
     "intercepts" (mapv (comp hex :intercept) fits)
     "n_iters" (mapv :n-iter fits)
     "gaps" (mapv (comp hex :gap) fits)}))

(defn- actual [{:strs [operation] :as test}]
  (try
    (case operation "train" (run-train test) "path" (run-path test))
    (catch clojure.lang.ExceptionInfo e
      (if-let [code (:regpen/code (ex-data e))]
        {:error code}
        (throw e)))))

(defn- expected [{:strs [expected expected_error]}]
  (if expected_error
    {:error (keyword (str/replace expected_error "_" "-"))}
    ;; The vectors spell hex in lower case, as `hex` does.
    expected))

(deftest training-vectors
  (let [tests (load-tests)
        by-op (frequencies (map #(get % "operation") tests))]
    (is (seq tests) "no training vectors found (conformance/vectors/training.json)")
    (is (pos? (get by-op "train" 0)))
    (is (pos? (get by-op "path" 0)))
    (doseq [test tests]
      (testing (str (get test "id") ": " (get test "comment"))
        (is (= (expected test) (actual test)))))))
