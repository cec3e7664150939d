package io.togetheragent.instrumentation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/** Weaves the hooks of one class into its class file; the methods no hook matches are copied as they are. */
final class ClassWeaving extends ClassVisitor {
    private final List<MethodHook> hooks;
    private final Map<String, String> fieldTypes = new HashMap<>();
    private final List<String> woven = new ArrayList<>();
    private String owner;
    private int version;

    private ClassWeaving(ClassVisitor writer, List<MethodHook> hooks) {
        super(Opcodes.ASM9, writer);
        this.hooks = hooks;
    }

    /**
     * @param woven gets the hooked methods' names
     * @return the woven class file, or null when no hook matched
     */
    static byte[] weave(byte[] classfile, List<MethodHook> hooks, List<String> woven) {
        ClassReader reader = new ClassReader(classfile);
        List<MethodHook> applicable = new ArrayList<>();
        for (MethodHook hook : hooks) {
            if (hook.requiredSibling == null || declares(reader, hook.requiredSibling)) {
                applicable.add(hook);
            }
        }
        if (applicable.isEmpty()) {
            return null;
        }
        // Given the reader, the writer copies the constant pool and every method no hook touches, unparsed.
        ClassWriter writer = new ClassWriter(reader, 0);
        ClassWeaving weaving = new ClassWeaving(writer, applicable);
        // Expanded frames: the frames HookCode adds are in that form too.
        reader.accept(weaving, ClassReader.EXPAND_FRAMES);
        woven.addAll(weaving.woven);
        return weaving.woven.isEmpty() ? null : writer.toByteArray();
    }

    private static boolean declares(ClassReader reader, Signature method) {
        boolean[] found = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                found[0] |= method.matches(name, descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
                      String[] interfaces) {
        this.owner = name;
        this.version = version;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        if ((access & Opcodes.ACC_STATIC) == 0) {
            fieldTypes.put(name, descriptor);
        }
        return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        MethodVisitor out = super.visitMethod(access, name, descriptor, signature, exceptions);
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return out;
        }
        for (MethodHook hook : hooks) {
            if (hook.method.matches(name, descriptor)) {
                woven.add(name + descriptor);
                return new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions) {
                    @Override
                    public void visitEnd() {
                        new HookCode(this, hook, owner, version, fieldTypes).weave();
                        accept(out);
                    }
                };
            }
        }
        return out;
    }
}
