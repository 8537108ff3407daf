(ns regpen.vectors-test
  "Runs every golden vector of the files conformance/vectors/manifest.json lists through regpen.core
  and checks the bits (exactly, NaN bits and the sign of zero included) or the error code. Expected
  values come only from the exact oracle's files; a run that finds no vectors fails. Tests Clojure
  cannot express are skipped with a printed reason: `ndarray` (regpen.core takes 1-D weights).
  Generated inputs are expanded by regpen.generators (SPEC §6.1)."
  (:require [clojure.data.json :as json]
            [clojure.java.io :as io]
            [clojure.string :as str]
            [clojure.test :refer [deftest is testing]]
            [regpen.core :as rp]
            [regpen.generators :as generators]))

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

(defn- read-json [^java.io.File file] (json/read-str (slurp file)))

(defn- manifest-files
  "The vector files the suite's manifest lists, e.g. [\"value.json\" …] (empty when none is found)."
  []
  (let [manifest (some-> (vectors-dir) (io/file "manifest.json"))]
    (if (and manifest (.isFile manifest))
      (sort (keys (get (read-json manifest) "files")))
      [])))

(defn- load-tests
  "The tests of one vector file (say \"value.json\"), or an empty seq when the file is missing."
  [file-name]
  (let [file (some-> (vectors-dir) (io/file file-name))]
    (if (and file (.isFile file))
      (for [group (get (read-json file) "groups")
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
  "The bit pattern of a Double or Float in the vectors' notation (NaNs keep their bits)."
  [x]
  (if (instance? Float x)
    (format "0x%08x" (Float/floatToRawIntBits x))
    (format "0x%016x" (Double/doubleToRawLongBits (double x)))))

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

(defn- decode-integer
  "An integer_input element: a decimal integer as a Long, or a BigInt beyond 64 bits."
  [^String s]
  (or (parse-long s) (bigint s)))

(defn- arg
  "A vector's argument: a double or float array of decoded bits, or for an int64 argument
  (flag integer_input) a vector of Longs, the integers regpen.core reads as binary64."
  [test name]
  (let [dtype (get-in test ["arg_dtypes" name] (get test "dtype"))
        values (get-in test ["args" name])]
    (cond
      (map? values) (generators/expand values dtype)
      (= dtype "int64") (mapv decode-integer values)
      :else (decode-array values dtype))))

(defn- run-operation
  "The result of the vector's operation, comparable with `expected-result`."
  [{:strs [operation args penalty] :as test}]
  (case operation
    "value" (hex (rp/value (penalty-from-vector penalty) (arg test "w")))
    "gradient" (mapv hex (rp/gradient (penalty-from-vector penalty) (arg test "w")))
    "prox" (mapv hex (rp/prox (penalty-from-vector penalty) (arg test "w")
                              (decode-double (get args "step"))))
    "loss" (hex (rp/compute-loss (arg test "y_true") (arg test "y_pred") (arg test "w")
                                 (penalty-from-vector penalty)))
    "l1_regularization" (hex (rp/l1-regularization (arg test "w")
                                                   (decode-double (get args "lambda"))))
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

(def ^:private skipped-flags
  "Flags of tests this suite cannot run, with the reason it prints."
  {"ndarray" "regpen.core takes 1-D weights (capability gap ndarray)"
   "training" "model fits run in regpen.training-vectors-test (regpen.model)"})

(defn- skip-reason [test]
  (some skipped-flags (get test "flags")))

(defn- check-file
  "One assertion per vector of the file that Clojure can run; prints what it skipped and why.
  Returns how many ran."
  [file-name]
  (let [tests (load-tests file-name)
        {skipped true runnable false} (group-by #(some? (skip-reason %)) tests)]
    (is (seq tests) (str "no vectors found in " file-name " (looked in " (vectors-dir) ")"))
    (doseq [[reason n] (frequencies (map skip-reason skipped))]
      (println (format "%s: skipped %d tests: %s" file-name n reason)))
    (doseq [test runnable]
      (testing (get test "id")
        (is (= (expected-result test) (actual-result test)))))
    (count runnable)))

(deftest every-vector-file-of-the-manifest
  (let [files (manifest-files)]
    (is (seq files) (str "no manifest.json with files in " (vectors-dir)))
    ;; The suite's own files must all be there; 2.0 adds l1_regularization.json.
    (is (every? (set files) ["value.json" "gradient.json" "prox.json" "loss.json" "config.json"
                             "convert.json"]))
    (doseq [file files]
      (testing file
        (println (format "%s: %d vectors checked" file (check-file file)))))))
