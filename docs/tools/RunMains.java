// Runs the main method of each class named on the command line, in order, in this one JVM, printing
// a marker line (the first argument, then the class name) before each so that the outputs can be
// split again. The rosetta page's Java and Scala snippets run through it (docs/tools/rosetta.py).
import java.lang.reflect.Method;

public class RunMains {
    public static void main(String[] args) throws Exception {
        String marker = args[0];
        for (int i = 1; i < args.length; i++) {
            System.out.println(marker + args[i]);
            Method main = Class.forName(args[i]).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
            System.out.flush();
        }
    }
}
