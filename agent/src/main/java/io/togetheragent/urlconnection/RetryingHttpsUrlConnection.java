package io.togetheragent.urlconnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.security.Permission;
import java.security.Principal;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The connection the application holds for an https Together URL: a {@link RetryingUrlConnection}, which does
 * the work, behind the JDK's {@code HttpsURLConnection} type, as the application may cast to it. Java allows one
 * superclass, so every call is passed on, as the JDK's own {@code HttpsURLConnectionImpl} passes its calls to a
 * plain HTTP connection; the TLS calls go to the JDK connection of the attempt the application now sees.
 */
public final class RetryingHttpsUrlConnection extends HttpsURLConnection {
    private final RetryingUrlConnection call;

    RetryingHttpsUrlConnection(RetryingUrlConnection call, URL url) {
        super(url);
        this.call = call;
    }

    private HttpsURLConnection tls() {
        HttpURLConnection current = call.current();
        if (current instanceof HttpsURLConnection) {
            return (HttpsURLConnection) current;
        }
        // Only an application's own URLStreamHandler could answer an https URL with a plain connection.
        throw new UnsupportedOperationException("not an HTTPS connection: " + getURL());
    }

    // ---- TLS: set on the current attempt, which the next attempt copies (RequestRecord.replay)

    @Override
    public void setHostnameVerifier(HostnameVerifier verifier) {
        tls().setHostnameVerifier(verifier);
    }

    @Override
    public HostnameVerifier getHostnameVerifier() {
        return tls().getHostnameVerifier();
    }

    @Override
    public void setSSLSocketFactory(SSLSocketFactory factory) {
        tls().setSSLSocketFactory(factory);
    }

    @Override
    public SSLSocketFactory getSSLSocketFactory() {
        return tls().getSSLSocketFactory();
    }

    @Override
    public String getCipherSuite() {
        return tls().getCipherSuite();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return tls().getLocalCertificates();
    }

    @Override
    public Certificate[] getServerCertificates() throws SSLPeerUnverifiedException {
        return tls().getServerCertificates();
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        return tls().getPeerPrincipal();
    }

    @Override
    public Principal getLocalPrincipal() {
        return tls().getLocalPrincipal();
    }

    /** Java 12+ only ({@code Optional<SSLSession>}); called reflectively since the agent is compiled for Java 8. */
    public java.util.Optional<?> getSSLSession() {
        try {
            return (java.util.Optional<?>) HttpsURLConnection.class.getMethod("getSSLSession").invoke(tls());
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException(e);
        }
    }

    // ---- everything else: the retrying connection's

    @Override
    public int getResponseCode() throws IOException {
        return call.getResponseCode();
    }

    @Override
    public String getResponseMessage() throws IOException {
        return call.getResponseMessage();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return call.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return call.getErrorStream();
    }

    @Override
    public String getHeaderField(String name) {
        return call.getHeaderField(name);
    }

    @Override
    public String getHeaderField(int n) {
        return call.getHeaderField(n);
    }

    @Override
    public String getHeaderFieldKey(int n) {
        return call.getHeaderFieldKey(n);
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return call.getHeaderFields();
    }

    @Override
    public int getHeaderFieldInt(String name, int defaultValue) {
        return call.getHeaderFieldInt(name, defaultValue);
    }

    @Override
    public long getHeaderFieldLong(String name, long defaultValue) {
        return call.getHeaderFieldLong(name, defaultValue);
    }

    @Override
    public long getHeaderFieldDate(String name, long defaultValue) {
        return call.getHeaderFieldDate(name, defaultValue);
    }

    @Override
    public String getContentType() {
        return call.getContentType();
    }

    @Override
    public String getContentEncoding() {
        return call.getContentEncoding();
    }

    @Override
    public int getContentLength() {
        return call.getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return call.getContentLengthLong();
    }

    @Override
    public long getExpiration() {
        return call.getExpiration();
    }

    @Override
    public long getDate() {
        return call.getDate();
    }

    @Override
    public long getLastModified() {
        return call.getLastModified();
    }

    @Override
    public Object getContent() throws IOException {
        return call.getContent();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Object getContent(Class[] classes) throws IOException {
        return call.getContent(classes);
    }

    @Override
    public void setRequestProperty(String key, String value) {
        call.setRequestProperty(key, value);
    }

    @Override
    public void addRequestProperty(String key, String value) {
        call.addRequestProperty(key, value);
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
        call.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public void setFixedLengthStreamingMode(long contentLength) {
        call.setFixedLengthStreamingMode(contentLength);
    }

    @Override
    public void setChunkedStreamingMode(int chunkLength) {
        call.setChunkedStreamingMode(chunkLength);
    }

    /** Java 9+ only; on Java 8 this is not an override and nothing calls it. */
    public void setAuthenticator(java.net.Authenticator auth) {
        call.setAuthenticator(auth);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return call.getOutputStream();
    }

    @Override
    public String getRequestProperty(String key) {
        return call.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
        return call.getRequestProperties();
    }

    @Override
    public void setRequestMethod(String method) throws java.net.ProtocolException {
        call.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
        return call.getRequestMethod();
    }

    @Override
    public void connect() throws IOException {
        call.connect();
    }

    @Override
    public void disconnect() {
        call.disconnect();
    }

    @Override
    public boolean usingProxy() {
        return call.usingProxy();
    }

    @Override
    public Permission getPermission() throws IOException {
        return call.getPermission();
    }

    @Override
    public URL getURL() {
        return call.getURL();
    }

    @Override
    public void setConnectTimeout(int timeout) {
        call.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
        return call.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
        call.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
        return call.getReadTimeout();
    }

    @Override
    public void setInstanceFollowRedirects(boolean followRedirects) {
        call.setInstanceFollowRedirects(followRedirects);
    }

    @Override
    public boolean getInstanceFollowRedirects() {
        return call.getInstanceFollowRedirects();
    }

    @Override
    public void setDoInput(boolean doInput) {
        call.setDoInput(doInput);
    }

    @Override
    public boolean getDoInput() {
        return call.getDoInput();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        call.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
        return call.getDoOutput();
    }

    @Override
    public void setAllowUserInteraction(boolean allow) {
        call.setAllowUserInteraction(allow);
    }

    @Override
    public boolean getAllowUserInteraction() {
        return call.getAllowUserInteraction();
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        call.setUseCaches(useCaches);
    }

    @Override
    public boolean getUseCaches() {
        return call.getUseCaches();
    }

    @Override
    public void setIfModifiedSince(long ifModifiedSince) {
        call.setIfModifiedSince(ifModifiedSince);
    }

    @Override
    public long getIfModifiedSince() {
        return call.getIfModifiedSince();
    }

    @Override
    public void setDefaultUseCaches(boolean defaultUseCaches) {
        call.setDefaultUseCaches(defaultUseCaches);
    }

    @Override
    public boolean getDefaultUseCaches() {
        return call.getDefaultUseCaches();
    }

    @Override
    public String toString() {
        return call.toString();
    }
}
