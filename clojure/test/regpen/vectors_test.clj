(ns regpen.vectors-test
  "Runs every golden vector in conformance/vectors/*.json through regpen.core and checks the bits
  (NaN matches any NaN, the sign of zero counts) or the error code. Expected values come only from
  the exact oracle's files; a run that finds no vectors fails."
  (:require [clojure.data.json :as json]
            [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [regpen.core :as rp]))

(set! *warn-on-reflection* true)

(defn- vectors-dir
  "Where the vectors are: the regpen.vectors system property (set by the pom), REGPEN_VECTORS, or
  the repository's conformance/vectors seen from clojure/ or from the repository root."
  ^java.io.File []
  (->> [(System/getProperty "regpen.vectors") (System/getenv "REGPEN_VECTORS")
        "../conformance/vectors" "conformance/vectors"]
       (remove nil?)
       (map io/file)
       (filter #(.isDirectory ^java.io.File %))
       first))

(defn- load-tests
  "The tests of one vector file (say \"value\"), or an empty seq when the file is missing."
  [operation-file]
  (let [file (some-> (vectors-dir) (io/file (str operation-file ".json")))]
    (if (and file (.isFile file))
      (for [group (get (json/read-str (slurp file)) "groups")
            test (get group "tests")]
        test)
      [])))

;; ---------------------------------------------------------------------------------------------
;; Decoding and encoding IEEE bit patterns (conformance/README.md)

(defn- decode-double ^double [^String h]
  (Double/longBitsToDouble (Long/parseUnsignedLong (subs h 2) 16)))

(defn- decode-float [^String h]
  (Float/intBitsToFloat (Integer/parseUnsignedInt (subs h 2) 16)))

(defn- decode-array [hexes dtype]
  (if (= dtype "float32")
    (float-array (map decode-float hexes))
    (double-array (map decode-double hexes))))

(defn- hex
  "The bit pattern of a Double or Float in the vectors' notation; every NaN is spelled \"nan\"."
  [x]
  (cond
    (and (instance? Float x) (Float/isNaN x)) "nan"
    (instance? Float x) (format "0x%08x" (Float/floatToRawIntBits x))
    (Double/isNaN (double x)) "nan"
    :else (format "0x%016x" (Double/doubleToRawLongBits (double x)))))

(defn- expected-hex [h dtype]
  (hex (if (= dtype "float32") (decode-float h) (decode-double h))))

(defn- penalty-from-vector
  "The regpen.core penalty a vector's penalty object describes (its constructor may throw)."
  [{:strs [type lam l1 l2 penalty_factor]}]
  (let [opts (if penalty_factor [:penalty-factor (mapv decode-double penalty_factor)] [])]
    (case type
      "l1" (apply rp/l1 (decode-double lam) opts)
      "l2" (apply rp/l2 (decode-double lam) opts)
      "elastic_net" (apply rp/elastic-net (decode-double l1) (decode-double l2) opts))))

(defn- penalty-hex
  "A penalty as its type, parameter bits and factor bits, comparable with a vector's object."
  [p]
  (update-vals (rp/config p)
               (fn [v] (cond (string? v) v
                             (number? v) (hex (double v))
                             :else (mapv #(hex (double %)) v)))))

(defn- expected-penalty-hex [expected]
  (update-vals expected (fn [v] (cond (and (string? v) (str/starts-with? v "0x")) (expected-hex v "float64")
                                      (string? v) v
                                      :else (mapv #(expected-hex % "float64") v)))))

;; ---------------------------------------------------------------------------------------------
;; Running one vector

(defn- arg [test name]
  (let [dtype (get-in test ["arg_dtypes" name] (get test "dtype"))]
    (decode-array (get-in test ["args" name]) dtype)))

(defn- run-operation
  "The result of the vector's operation, comparable with `expected-result`."
  [{:strs [operation dtype args penalty] :as test}]
  (case operation
    "value" (hex (rp/value (penalty-from-vector penalty) (arg test "w")))
    "gradient" (mapv hex (rp/gradient (penalty-from-vector penalty) (arg test "w")))
    "prox" (mapv hex (rp/prox (penalty-from-vector penalty) (arg test "w")
                              (decode-double (get args "step"))))
    "loss" (hex (rp/compute-loss (arg test "y_true") (arg test "y_pred") (arg test "w")
                                 (penalty-from-vector penalty)))
    "from_config" (penalty-hex (rp/from-config (get args "config")))
    "config_roundtrip" (penalty-hex (rp/from-config (rp/to-config (penalty-from-vector penalty))))
    "convert" (let [{:strs [convention params]} args
                    p #(decode-double (get params %))]
                (penalty-hex (case convention
                               "sklearn" (rp/from-sklearn (p "alpha") (p "l1_ratio"))
                               "glmnet" (rp/from-glmnet (p "lambda") (p "alpha"))
                               "keras" (rp/from-keras (p "l1") (p "l2"))
                               "torch" (rp/from-torch-weight-decay (p "weight_decay")))))))

(defn- expected-result [{:strs [operation dtype expected expected_error]}]
  (cond
    expected_error {:error (keyword (str/replace expected_error "_" "-"))}
    (#{"from_config" "config_roundtrip" "convert"} operation) (expected-penalty-hex expected)
    (string? expected) (expected-hex expected dtype)
    :else (mapv #(expected-hex % dtype) expected)))

(defn- actual-result [test]
  (try
    (run-operation test)
    (catch clojure.lang.ExceptionInfo e
      (if-let [code (:regpen/code (ex-data e))]
        {:error code}
        (throw e)))))

(defn- check-file
  "One assertion per vector of the file; returns how many ran."
  [operation-file]
  (let [tests (load-tests operation-file)]
    (is (seq tests) (str "no vectors found for " operation-file " (looked in " (vectors-dir) ")"))
    (doseq [test tests]
      (testing (get test "id")
        (is (= (expected-result test) (actual-result test)))))
    (count tests)))

(deftest value-vectors (check-file "value"))
(deftest gradient-vectors (check-file "gradient"))
(deftest prox-vectors (check-file "prox"))
(deftest loss-vectors (check-file "loss"))
(deftest config-vectors (check-file "config"))
(deftest convert-vectors (check-file "convert"))
