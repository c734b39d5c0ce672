package storyboard.events;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import storyboard.kernel.Api;
import storyboard.kernel.Capability;

/** The event log, its live stream and the webhooks that carry it to other systems. */
public final class EventsCapability implements Capability {
    private final EventLog log;
    private final EventStream stream;
    private final EventRetention retention;
    private final WebhookStore webhooks;
    private final WebhookDispatcher dispatcher;

    public EventsCapability(Jdbi jdbi, DataSource dataSource, Duration retention, WebhookDispatcher.Settings webhookSettings,
                            String serverVersion) {
        this.log = new EventLog(jdbi);
        this.stream = new EventStream(dataSource, log);
        this.retention = new EventRetention(log, retention);
        this.webhooks = new WebhookStore(jdbi);
        this.dispatcher = new WebhookDispatcher(new DeliveryQueue(jdbi, log), webhookSettings, serverVersion);
        stream.onNewEvents(dispatcher::wake);
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public void routes(Api api) {
        new EventRoutes(log, stream).register(api);
        new WebhookRoutes(webhooks, dispatcher).register(api);
        new EventPages(log, stream).register(api);
        new WebhookPages(webhooks, dispatcher).register(api);
    }

    @Override
    public List<NavLink> nav() {
        return List.of(new NavLink("Events", "/events", 50), new NavLink("Webhooks", "/webhooks", 55));
    }

    @Override
    public List<Panel> overviewPanels() {
        return List.of(new Panel("Latest events", "/events/panel", 60));
    }

    @Override
    public void start() {
        stream.start();
        dispatcher.start();
        retention.start();
    }

    @Override
    public void close() {
        try {
            retention.close();
            dispatcher.close();
        } finally {
            stream.close();
        }
    }
}
