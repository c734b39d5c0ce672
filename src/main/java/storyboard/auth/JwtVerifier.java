package storyboard.auth;

import storyboard.kernel.Principal;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storyboard.api.ApiException;

/**
 * JWT bearer tokens from the studio's identity provider: signature checked against the provider's JWKS
 * (fetched and cached by Nimbus JOSE+JWT), issuer and audience exact, expiry and not-before with a minute of
 * clock skew, asymmetric algorithms only. The role comes from a claim, through a mapping of its values.
 */
public final class JwtVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

    /** The settings: JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_ROLE_CLAIM, JWT_ROLE_MAP. */
    public record Settings(String jwksUrl, String issuer, String audience, String roleClaim, Map<String, Role> roleMap) {}

    private final Settings settings;
    private final ConfigurableJWTProcessor<SecurityContext> processor;

    public JwtVerifier(Settings settings) {
        this.settings = settings;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(settings.jwksUrl()).toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWT_JWKS_URL is not a URL: " + e.getMessage(), e);
        }
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        Set<JWSAlgorithm> algorithms = new java.util.HashSet<>(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        algorithms.addAll(JWSAlgorithm.Family.ED);
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(settings.audience()),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "exp"), null));
        this.processor = p;
    }

    /** Whether a bearer token has the shape of a JWT (three dot-separated parts) rather than a stored token's. */
    static boolean looksLikeJwt(String token) {
        return !token.startsWith(Tokens.PREFIX) && token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The person a valid token names, with the scopes of their role; empty when the token is not valid (401).
     * A valid token whose role claim maps to no role is a 403.
     */
    Optional<Principal> verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJOSEException | java.text.ParseException e) {
            return Optional.empty();
        } catch (com.nimbusds.jose.JOSEException e) {
            LOG.warn("could not check a JWT against {}: {}", settings.jwksUrl(), e.getMessage());
            throw new ApiException(503, "identity_provider_unavailable",
                    "the identity provider's keys could not be fetched; try again shortly");
        }
        Role role = role(claims.getClaim(settings.roleClaim()));
        if (role == null) {
            throw new ApiException(403, "forbidden", "the identity has no role on this server (claim '"
                    + settings.roleClaim() + "')");
        }
        String name = firstString(claims, "preferred_username", "email", "name").orElse(claims.getSubject());
        return Optional.of(new Principal(Principal.Kind.JWT, claims.getSubject(), name, role.scopes(), Set.of(), null));
    }

    /** The strongest role any of the claim's values maps to. */
    private Role role(Object claim) {
        List<Object> values = new ArrayList<>();
        if (claim instanceof List<?> list) values.addAll(list);
        else if (claim != null) values.add(claim);
        Role best = null;
        for (Object v : values) {
            Role r = settings.roleMap().get(String.valueOf(v));
            if (r != null && (best == null || r.ordinal() < best.ordinal())) best = r;
        }
        return best;
    }

    private static Optional<String> firstString(JWTClaimsSet claims, String... names) {
        for (String n : names) {
            Object v = claims.getClaim(n);
            if (v instanceof String s && !s.isBlank()) return Optional.of(s);
        }
        return Optional.empty();
    }
}
