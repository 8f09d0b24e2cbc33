package dev.tollgate.gateway.dashboard;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.ledger.Picodollars;
import dev.tollgate.gateway.routing.MutableClock;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The spend dashboard in a real browser (Debian's headless chromium): after traffic from several keys, teams and models
 * through a gateway with a SQLite ledger and a fake OpenAI upstream, a person who types the admin key sees the ledger's
 * figures; a wrong key shows an error; the key never reaches a URL or a cookie; the page runs under its CSP without a
 * violation. Skipped only where chromium or chromedriver is not installed ({@code .ci/run} installs both).
 */
class DashboardBrowserTest {

    private static final String ADMIN = "sk-tg-admin-test-key";
    private static final String ALICE = "sk-tg-dash-alice-000001";
    private static final String BOB = "sk-tg-dash-bob-0000002";
    private static final String CAROL = "sk-tg-dash-carol-000003";
    private static final Path ARTIFACTS = Path.of("target", "dashboard");
    private static final Instant TODAY = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();

    @TempDir
    static Path dir;
    static FakeOpenAiUpstream upstream;
    static Gateway gateway;
    static String page;

    /** One browser for the class (starting one took 1.5-2.5 s); each test gets a tab of its own. */
    static ChromeDriver browser;
    static Path downloads;

    @BeforeAll
    static void startGatewayAndSendTraffic() throws Exception {
        assumeTrue(HeadlessChromium.installed(), "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        upstream = new FakeOpenAiUpstream().usage(1000, 500, 0);
        // five days of traffic ending today, on the gateway's clock (the ledger's started_at and budget periods follow it)
        MutableClock clock = new MutableClock(TODAY.minus(Duration.ofDays(4)).plus(Duration.ofHours(9)));
        gateway = Gateway.start(TestGateways.parse(TestGateways.gatewayBlock(dir) + """
                  security: { managementPort: 0 }
                routes:
                  - model: gpt-large
                    backends:
                      - { name: large, provider: openai, model: gpt-4o, baseUrl: %1$s, apiKey: sk-upstream,
                          pricing: { inputPerMillion: 30, outputPerMillion: 60 } }
                  - model: gpt-small
                    backends:
                      - { name: small, provider: openai, model: gpt-4o-mini, baseUrl: %1$s, apiKey: sk-upstream,
                          pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                teams:
                  - { name: red, budget: { amountUsd: 1, period: monthly } }
                  - { name: blue }
                keys:
                  - { name: alice, team: red, key: %2$s, budget: { amountUsd: 2, period: daily } }
                  - { name: bob, team: red, key: %3$s }
                  - { name: carol, team: blue, key: %4$s }
                """.formatted(upstream.baseUrl(), ALICE, BOB, CAROL), Map.of()), clock);
        Http http = new Http(gateway.port());
        // alice: a large call ($0.06) a day; bob: a small one ($0.002) on the last three days; carol today: 2 large, 1 small
        for (int day = 0; day < 5; day++) {
            call(http, ALICE, "gpt-large", "project=apollo");
            if (day >= 2) {
                call(http, BOB, "gpt-small", "project=zeus");
            }
            if (day < 4) {
                clock.advance(Duration.ofDays(1));
            }
        }
        call(http, CAROL, "gpt-large", "project=apollo");
        call(http, CAROL, "gpt-large", "project=zeus");
        call(http, CAROL, "gpt-small", null);
        gateway.ledger().flush();
        page = "http://127.0.0.1:" + gateway.managementPort() + "/ui/";
        downloads = Files.createDirectories(dir.resolve("downloads"));
        browser = HeadlessChromium.start(downloads);
    }

    private static void call(Http http, String key, String model, String tags) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("/v1/chat/completions"))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
        if (tags != null) {
            request.header("x-tollgate-tags", tags);
        }
        HttpResponse<String> r = http.send(request.build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopGateway() {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /**
     * A new tab for each test, the last one closed: an empty sessionStorage (a tab opened by the driver, not by a page,
     * copies none), and the console messages of earlier tests read and dropped.
     */
    @BeforeEach
    void openTab() {
        String previous = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        String tab = browser.getWindowHandle();
        browser.switchTo().window(previous).close();
        browser.switchTo().window(tab);
        browser.manage().logs().get(LogType.BROWSER);
    }

    @Test
    void signedInPageShowsTheLedgersFigures() throws Exception {
        Ledger ledger = Ledger.read(dir.resolve("ledger.db"));
        assertThat(ledger.requests()).isEqualTo(11);

        signIn(ADMIN);
        WebElement total = waitForFigures();

        assertThat(new BigDecimal(total.getAttribute("data-usd"))).isEqualByComparingTo(ledger.cost());
        assertThat(total.getText()).isEqualTo(displayed(ledger.cost()));
        assertThat(text("total-requests")).isEqualTo(Long.toString(ledger.requests()));

        List<List<String>> keys = rows("#top-key tbody tr");
        assertThat(keys).extracting(row -> row.getFirst()).containsExactly("alice", "carol", "bob");
        BigDecimal alice = ledger.costWhere("key_name", "alice");
        assertThat(keys.getFirst()).containsExactly("alice", "5", displayed(alice), percent(alice, ledger.cost()));
        BigDecimal red = ledger.costWhere("team", "red");
        assertThat(rows("#top-team tbody tr")).containsExactly(
                List.of("red", "8", displayed(red), percent(red, ledger.cost())),
                List.of("blue", "3", displayed(ledger.costWhere("team", "blue")), percent(ledger.costWhere("team", "blue"), ledger.cost())));
        assertThat(rows("#top-model tbody tr")).extracting(row -> row.subList(0, 2))
                .containsExactly(List.of("gpt-large", "7"), List.of("gpt-small", "4"));
        assertThat(rows("#top-tag tbody tr")).extracting(row -> row.subList(0, 3)).containsExactly(
                List.of("project=apollo", "6", "$0.36"), List.of("project=zeus", "4", "$0.066")); // tagged requests only

        // budgets: what the ledger has in each one's current period (alice's day: today; red's month: since the 1st)
        BigDecimal aliceToday = ledger.costWhere("key_name", "alice", TODAY);
        BigDecimal redThisMonth = ledger.costWhere("team", "red", TODAY.atZone(ZoneOffset.UTC).withDayOfMonth(1).toInstant());
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1) + " 00:00 UTC";
        String nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1) + " 00:00 UTC";
        assertThat(rows("#budgets tbody tr")).containsExactly(
                List.of("key", "alice", "daily", "$2.00", displayed(aliceToday), percent(aliceToday, new BigDecimal(2)), tomorrow),
                List.of("team", "red", "monthly", "$1.00", displayed(redThisMonth), percent(redThisMonth, BigDecimal.ONE), nextMonth));
        assertThat(rows("#requests tbody tr")).hasSize((int) ledger.requests())
                .allSatisfy(row -> assertThat(row.get(6)).isEqualTo("200"))
                .allSatisfy(row -> assertThat(String.join(" ", row)).doesNotContain("hello"));
        assertThat(browser.findElements(By.cssSelector("[data-error-for]"))).noneMatch(WebElement::isDisplayed);

        screenshot("dashboard.png");
        assertThat(consoleProblems()).isEmpty();
    }

    @Test
    void clickingATeamNarrowsTheWholePageToIt() throws Exception {
        Ledger ledger = Ledger.read(dir.resolve("ledger.db"));
        signIn(ADMIN);
        waitForFigures();

        browser.findElement(By.cssSelector("#top-team button[title='Show only team red']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("total-requests")).getText().equals("8"));

        assertThat(text("filter-text")).isEqualTo("team = red");
        assertThat(new BigDecimal(browser.findElement(By.id("total-spend")).getAttribute("data-usd")))
                .isEqualByComparingTo(ledger.costWhere("team", "red"));
        assertThat(rows("#top-key tbody tr")).extracting(row -> row.getFirst()).containsExactly("alice", "bob");
        assertThat(rows("#requests tbody tr")).hasSize(8).allSatisfy(row -> assertThat(row.get(2)).isEqualTo("red"));

        browser.findElement(By.id("clear-filter")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("total-requests")).getText().equals("11"));
        assertThat(browser.findElement(By.id("filter")).isDisplayed()).isFalse();
    }

    @Test
    void theCsvDownloadHoldsWhatIsShown() throws Exception {
        Ledger ledger = Ledger.read(dir.resolve("ledger.db"));
        signIn(ADMIN);
        waitForFigures();

        browser.findElement(By.id("download-csv")).click();

        Path csv = new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            try (var files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo("section,from,to,filter,dimension,group,requests,prompt_tokens,completion_tokens,cost_usd");
        BigDecimal byKey = lines.stream().filter(l -> l.startsWith("spend,") && l.split(",")[4].equals("key"))
                .map(l -> new BigDecimal(l.substring(l.lastIndexOf(',') + 1))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(byKey).isEqualByComparingTo(ledger.cost());
        assertThat(lines).anyMatch(l -> l.matches("spend,[0-9-]+,[0-9-]+,,key,alice,5,5000,2500,0\\.3"));
        assertThat(lines).filteredOn(l -> l.startsWith("spend,") && l.split(",")[4].equals("day")).hasSize(5)
                .last().asString().endsWith(",day," + LocalDate.now(ZoneOffset.UTC) + ",5,5000,2500,0.184");
        assertThat(String.join("\n", lines)).doesNotContain(ADMIN);
    }

    @Test
    void aWrongKeyShowsAnErrorAndNoData() {
        double failuresBefore = authFailures();
        signIn("sk-tg-not-the-admin-key");

        WebElement error = new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("login-error")).isDisplayed() ? d.findElement(By.id("login-error")) : null);
        assertThat(error.getText()).contains("refused").contains("Incorrect admin key");
        assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
        assertThat(sessionStorage()).isNull();
        assertThat(authFailures() - failuresBefore).as("one failed authentication per wrong sign-in").isEqualTo(1);

        signIn(ALICE);
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("login-error")).getText().contains("virtual key"));
    }

    @Test
    void theKeyStaysInTheTabsSessionStorageOnly() {
        signIn(ADMIN);
        waitForFigures();

        assertThat(browser.getCurrentUrl()).isEqualTo(page).doesNotContain(ADMIN);
        assertThat(browser.manage().getCookies()).isEmpty();
        assertThat(sessionStorage()).isEqualTo(ADMIN);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.localStorage.length")).isEqualTo(0L);
        assertThat(browser.findElement(By.id("admin-key")).getAttribute("value")).isEmpty();

        browser.navigate().refresh(); // the same tab keeps it
        waitForFigures();

        browser.findElement(By.id("sign-out")).click();
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isTrue();
        assertThat(sessionStorage()).isNull();
    }

    private static double authFailures() {
        String metrics = new Http(gateway.managementPort()).get("/metrics", null).body();
        return metrics.lines().filter(l -> l.startsWith("tollgate_auth_failures_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void signIn(String key) {
        browser.get(page);
        WebElement input = browser.findElement(By.id("admin-key"));
        input.clear();
        input.sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
    }

    /** Waits until the figures are in: the total spend carries its exact amount and the status line its update. */
    private WebElement waitForFigures() {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            WebElement total = d.findElement(By.id("total-spend"));
            return total.getAttribute("data-usd") != null && d.findElement(By.id("status")).getText().contains("Updated") ? total : null;
        });
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private List<List<String>> rows(String selector) {
        return browser.findElements(By.cssSelector(selector)).stream()
                .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                .toList();
    }

    private Object sessionStorage() {
        return ((JavascriptExecutor) browser).executeScript("return window.sessionStorage.getItem('tollgate.adminKey')");
    }

    /** Console errors and CSP violations; an empty list means the page ran clean under its policy. */
    private List<String> consoleProblems() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()
                        || e.getMessage().contains("Content Security Policy"))
                .map(LogEntry::getMessage)
                .toList();
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(ARTIFACTS);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, ARTIFACTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** As the page shows USD: whole cents from $1 up, else up to 4 decimals (at least 2). */
    static String displayed(BigDecimal usd) {
        DecimalFormat format = new DecimalFormat(usd.abs().compareTo(BigDecimal.ONE) >= 0 ? "$#,##0.00" : "$#,##0.00##",
                DecimalFormatSymbols.getInstance(Locale.US));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(usd);
    }

    static String percent(BigDecimal part, BigDecimal whole) {
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, 1, RoundingMode.HALF_UP).toPlainString() + "%";
    }

    /** The ledger's own sums, read straight from the SQLite file. */
    record Ledger(Path file, long requests, BigDecimal cost) {

        static Ledger read(Path file) throws SQLException {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT SUM(CASE WHEN parent_request_id IS NULL THEN 1 ELSE 0 END), SUM(cost_pico) FROM ledger")) {
                rs.next();
                return new Ledger(file, rs.getLong(1), Picodollars.toUsd(rs.getLong(2)));
            }
        }

        /** The exact cost of every row whose {@code column} (a fixed name from the test) is {@code value}. */
        BigDecimal costWhere(String column, String value) throws SQLException {
            return costWhere(column, value, Instant.EPOCH);
        }

        /** The same, of rows started at or after {@code since}. */
        BigDecimal costWhere(String column, String value, Instant since) throws SQLException {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 PreparedStatement q = c.prepareStatement("SELECT SUM(cost_pico) FROM ledger WHERE " + column + " = ? AND started_at >= ?")) {
                q.setString(1, value);
                q.setLong(2, since.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return Picodollars.toUsd(rs.getLong(1));
                }
            }
        }
    }
}
