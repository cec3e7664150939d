package io.togetheragent.instrumentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Weaves one {@link MethodHook} into one method: calls to {@code io.togetheragent.bridge.Bridge} at its start,
 * before each of its returns and, for a hook that wants to know, in a handler of whatever the body throws. No local
 * variable is added and none of the method's own is touched, so the method's stack map frames stay valid as they
 * are; the few frames the inserted code needs are written here (the class is never re-analysed, which would load
 * classes to compute common super types).
 */
final class HookCode implements Opcodes {
    private static final String BRIDGE = "io/togetheragent/bridge/Bridge";
    private static final String OBJECT = "java/lang/Object";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String ENTER = "(ILjava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String EXIT =
            "(Ljava/lang/Object;ILjava/lang/Class;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
    private static final String THROWN = "(Ljava/lang/Throwable;ILjava/lang/Class;)V";
    /** The most the inserted code adds to the operand stack. */
    private static final int STACK = 10;

    private final MethodNode method;
    private final MethodHook hook;
    private final int id;
    private final String owner;
    private final Map<String, String> fieldTypes;
    private final boolean constructor;
    private final boolean writesFrames;
    private final Type[] params;

    HookCode(MethodNode method, MethodHook hook, String owner, int classVersion,
             Map<String, String> fieldTypes) {
        this.method = method;
        this.hook = hook;
        this.id = hook.id;
        this.owner = owner;
        this.fieldTypes = fieldTypes;
        this.constructor = method.name.equals("<init>");
        // Frames are required from class version 51 (Java 7); in 50 they are used if the method has any.
        int major = classVersion & 0xFFFF;
        this.writesFrames = major >= V1_7 || major == V1_6 && hasFrames(method);
        this.params = Type.getArgumentTypes(method.desc);
        if (constructor && (hook.skips || hook.catching() || !hook.fields.isEmpty())) {
            throw new IllegalStateException(hook + ": a constructor's start can only be watched");
        }
    }

    void weave() {
        List<AbstractInsnNode> returns = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() >= IRETURN && insn.getOpcode() <= RETURN) {
                returns.add(insn);
            }
        }
        LabelNode bodyStart = new LabelNode();
        InsnList start = new InsnList();
        if (hook.entering()) {
            enter(start);
        }
        start.add(bodyStart);
        method.instructions.insert(start);
        List<LabelNode[]> covered = new ArrayList<>();
        LabelNode from = bodyStart;
        if (hook.exiting()) {
            for (AbstractInsnNode ret : returns) {
                InsnList exit = new InsnList();
                LabelNode to = new LabelNode();
                exit.add(to);
                exit(exit);
                method.instructions.insertBefore(ret, exit);
                covered.add(new LabelNode[] {from, to});
                from = new LabelNode();
                method.instructions.insert(ret, from);
            }
        }
        if (hook.catching()) {
            LabelNode end = new LabelNode();
            method.instructions.add(end);
            covered.add(new LabelNode[] {from, end});
            catchThrown(covered);
        }
        method.maxStack += STACK;
    }

    private void enter(InsnList code) {
        pushCall(code, !constructor);
        code.add(new MethodInsnNode(INVOKESTATIC, BRIDGE, "enter", ENTER, false));
        if (!hook.skips) {
            code.add(new InsnNode(POP));
            return;
        }
        LabelNode proceed = new LabelNode();
        code.add(new InsnNode(DUP));
        code.add(new JumpInsnNode(IFNULL, proceed));
        Type returned = Type.getReturnType(method.desc);
        // A primitive method that is skipped returns its type's zero.
        fromObject(code, returned, true);
        code.add(new InsnNode(returned.getOpcode(IRETURN)));
        code.add(proceed);
        if (writesFrames) {
            Object[] locals = initialLocals();
            code.add(new FrameNode(F_NEW, locals.length, locals, 1, new Object[] {OBJECT}));
        }
        code.add(new InsnNode(POP));
    }

    /** With the returned value on the stack: hands it to the hook, and leaves what the hook returns. */
    private void exit(InsnList code) {
        Type returned = Type.getReturnType(method.desc);
        if (returned.getSort() == Type.VOID) {
            code.add(new InsnNode(ACONST_NULL));
        } else {
            box(code, returned);
        }
        pushCall(code, true);
        code.add(new MethodInsnNode(INVOKESTATIC, BRIDGE, "exit", EXIT, false));
        fromObject(code, returned, false);
    }

    /** Turns the Object on the stack into a value of the method's return type (none for void; or the zero). */
    private static void fromObject(InsnList code, Type returned, boolean primitiveZero) {
        switch (returned.getSort()) {
            case Type.VOID:
                code.add(new InsnNode(POP));
                break;
            case Type.OBJECT:
            case Type.ARRAY:
                code.add(new TypeInsnNode(CHECKCAST, returned.getInternalName()));
                break;
            default:
                if (primitiveZero) {
                    code.add(new InsnNode(POP));
                    code.add(new InsnNode(zero(returned)));
                } else {
                    unbox(code, returned);
                }
        }
    }

    /**
     * One handler, after the body, for the parts of the body outside the inserted exit code (which must not see
     * its own exceptions). Its frame claims no local variable, so it holds wherever the body may throw.
     */
    private void catchThrown(List<LabelNode[]> ranges) {
        LabelNode handler = new LabelNode();
        InsnList code = new InsnList();
        code.add(handler);
        if (writesFrames) {
            code.add(new FrameNode(F_NEW, 0, new Object[0], 1, new Object[] {THROWABLE}));
        }
        code.add(new InsnNode(DUP));
        push(code, id);
        code.add(new LdcInsnNode(Type.getObjectType(owner)));
        code.add(new MethodInsnNode(INVOKESTATIC, BRIDGE, "thrown", THROWN, false));
        code.add(new InsnNode(ATHROW));
        method.instructions.add(code);
        for (LabelNode[] range : ranges) {
            if (hasCode(range[0], range[1])) {
                // Added last, so the method's own handlers are tried first.
                method.tryCatchBlocks.add(new TryCatchBlockNode(range[0], range[1], handler, null));
            }
        }
    }

    /** Pushes the hook's number, the class, {@code this} (or null) and the arguments (then the fields) as an array. */
    private void pushCall(InsnList code, boolean selfKnown) {
        boolean hasThis = (method.access & ACC_STATIC) == 0;
        push(code, id);
        code.add(new LdcInsnNode(Type.getObjectType(owner)));
        code.add(hasThis && selfKnown ? new VarInsnNode(ALOAD, 0) : new InsnNode(ACONST_NULL));
        push(code, params.length + hook.fields.size());
        code.add(new TypeInsnNode(ANEWARRAY, OBJECT));
        int slot = hasThis ? 1 : 0;
        int index = 0;
        for (Type param : params) {
            code.add(new InsnNode(DUP));
            push(code, index++);
            code.add(new VarInsnNode(param.getOpcode(ILOAD), slot));
            box(code, param);
            code.add(new InsnNode(AASTORE));
            slot += param.getSize();
        }
        for (String field : hook.fields) {
            String type = fieldTypes.get(field);
            if (type == null || !hasThis) {
                throw new IllegalStateException(hook + ": " + owner + " declares no instance field " + field);
            }
            code.add(new InsnNode(DUP));
            push(code, index++);
            code.add(new VarInsnNode(ALOAD, 0));
            code.add(new FieldInsnNode(GETFIELD, owner, field, type));
            box(code, Type.getType(type));
            code.add(new InsnNode(AASTORE));
        }
    }

    /** The local variables at the method's start, as a frame names them. */
    private Object[] initialLocals() {
        List<Object> locals = new ArrayList<>();
        if ((method.access & ACC_STATIC) == 0) {
            locals.add(owner);
        }
        for (Type param : params) {
            switch (param.getSort()) {
                case Type.BOOLEAN:
                case Type.BYTE:
                case Type.CHAR:
                case Type.SHORT:
                case Type.INT:
                    locals.add(INTEGER);
                    break;
                case Type.LONG:
                    locals.add(LONG);
                    break;
                case Type.FLOAT:
                    locals.add(FLOAT);
                    break;
                case Type.DOUBLE:
                    locals.add(DOUBLE);
                    break;
                default:
                    locals.add(param.getSort() == Type.ARRAY ? param.getDescriptor() : param.getInternalName());
            }
        }
        return locals.toArray();
    }

    private static void box(InsnList code, Type type) {
        String box = boxOf(type);
        if (box != null) {
            code.add(new MethodInsnNode(INVOKESTATIC, box, "valueOf", "(" + type.getDescriptor() + ")L" + box + ";",
                    false));
        }
    }

    private static void unbox(InsnList code, Type type) {
        String box = boxOf(type);
        code.add(new TypeInsnNode(CHECKCAST, box));
        code.add(new MethodInsnNode(INVOKEVIRTUAL, box, type.getClassName() + "Value", "()" + type.getDescriptor(),
                false));
    }

    private static String boxOf(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN: return "java/lang/Boolean";
            case Type.BYTE: return "java/lang/Byte";
            case Type.CHAR: return "java/lang/Character";
            case Type.SHORT: return "java/lang/Short";
            case Type.INT: return "java/lang/Integer";
            case Type.LONG: return "java/lang/Long";
            case Type.FLOAT: return "java/lang/Float";
            case Type.DOUBLE: return "java/lang/Double";
            default: return null;
        }
    }

    private static int zero(Type type) {
        switch (type.getSort()) {
            case Type.LONG: return LCONST_0;
            case Type.FLOAT: return FCONST_0;
            case Type.DOUBLE: return DCONST_0;
            default: return ICONST_0;
        }
    }

    private static void push(InsnList code, int value) {
        if (value >= -1 && value <= 5) {
            code.add(new InsnNode(ICONST_0 + value));
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            code.add(new IntInsnNode(BIPUSH, value));
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            code.add(new IntInsnNode(SIPUSH, value));
        } else {
            code.add(new LdcInsnNode(value));
        }
    }

    private static boolean hasFrames(MethodNode method) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof FrameNode) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCode(LabelNode from, LabelNode to) {
        for (AbstractInsnNode insn = from; insn != null && insn != to; insn = insn.getNext()) {
            if (insn.getOpcode() >= 0) {
                return true;
            }
        }
        return false;
    }
}
